#include "hyperpush/graph/analysis.hpp"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/visitors.hpp>
#include <cmath>
#include <cstdint>
#include <iomanip>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include "hyperpush/error.hpp"
#include "probe_push_sum.hpp"

namespace hyperpush::graph {
namespace {

using CsrGraph = boost::compressed_sparse_row_graph<boost::directedS>;

// Below this relative error push-sum has averaged to rounding (double has ~1e-16 resolution, and a
// few dozen rounds of summation lose a decade or two).
constexpr double kExactError = 1e-13;

// The union of some rounds' graphs: their edges u -> v, self-loops excluded, appended as they come.
// Strong components and breadth-first search do not mind duplicates; appending costs the edges
// added, where merging into a sorted union every round cost rounds² × agents for a window. A long
// union (`compact`) drops its duplicates whenever it has doubled since the last time, so that it
// holds about the distinct edges.
class EdgeUnion {
 public:
  explicit EdgeUnion(int agents, bool compact = false) : agents_(agents), compact_(compact) {}
  void clear() {
    edges_.clear();
    unique_size_ = 0;
  }
  const EdgeList& edges() const { return edges_; }

  void add(const Digraph& g) {
    for (int u = 0; u < g.agents(); ++u)
      for (const int* v = g.out_begin(u); v != g.out_end(u); ++v)
        if (*v != u) edges_.emplace_back(u, *v);
    if (compact_ && edges_.size() > 2 * unique_size_ + 4096) unique();
  }
  // Sorted, each edge once: a counting sort by source, then each source's few targets. O(edges).
  void unique() {
    std::vector<std::size_t> start(static_cast<std::size_t>(agents_) + 1, 0);
    for (const Edge& e : edges_) ++start[e.first + 1];
    for (int u = 0; u < agents_; ++u) start[u + 1] += start[u];
    std::vector<int> target(edges_.size());
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (const Edge& e : edges_) target[next[e.first]++] = e.second;
    edges_.clear();
    for (int u = 0; u < agents_; ++u) {
      const auto first = target.begin() + start[u], last = target.begin() + start[u + 1];
      std::sort(first, last);
      for (auto v = first; v != last; ++v)
        if (v == first || *v != *(v - 1)) edges_.emplace_back(u, *v);
    }
    unique_size_ = edges_.size();
  }

 private:
  int agents_;
  bool compact_;
  EdgeList edges_;
  std::size_t unique_size_ = 0;
};

CsrGraph csr_of(int agents,
                const EdgeList& edges) {  // a counting sort by source: O(agents + edges)
  return CsrGraph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(),
                  static_cast<std::size_t>(agents));
}

// Whether every agent reaches every other: agent 0 reaches all along the edges, and all reach
// agent 0 (two breadth-first searches over adjacency lists built by a counting sort; O(agents +
// edges), scratch kept between calls). The analysis asks this once per round and per window tried;
// Tarjan's components (strong_connectivity) are left for naming a pair that cannot communicate.
class ReachCheck {
 public:
  bool strongly_connected(int agents, const EdgeList& edges) {
    return reaches_all(agents, edges, false) && reaches_all(agents, edges, true);
  }

 private:
  bool reaches_all(int agents, const EdgeList& edges, bool reversed) {
    const auto source = [reversed](const Edge& e) { return reversed ? e.second : e.first; };
    offset_.assign(static_cast<std::size_t>(agents) + 1, 0);
    for (const Edge& e : edges) ++offset_[source(e) + 1];
    for (int u = 0; u < agents; ++u) offset_[u + 1] += offset_[u];
    next_.assign(offset_.begin(), offset_.end() - 1);
    target_.resize(edges.size());
    for (const Edge& e : edges) target_[next_[source(e)]++] = reversed ? e.first : e.second;
    seen_.assign(static_cast<std::size_t>(agents), 0);
    queue_.assign(1, 0);
    seen_[0] = 1;
    for (std::size_t head = 0; head < queue_.size(); ++head)
      for (std::size_t k = offset_[queue_[head]]; k < offset_[queue_[head] + 1]; ++k)
        if (!seen_[target_[k]]) {
          seen_[target_[k]] = 1;
          queue_.push_back(target_[k]);
        }
    return static_cast<int>(queue_.size()) == agents;
  }

  std::vector<std::size_t> offset_, next_;
  std::vector<int> target_, queue_;
  std::vector<char> seen_;
};

struct Connectivity {
  bool strong = true;
  int from = -1, to = -1;  // when not strong: `from` cannot reach `to`
};

// Strong connectivity by Tarjan's strong components (Boost.Graph). When there are several
// components, some component C is a sink of the condensation (no edge leaves it); no agent of C
// reaches any agent outside C. Agent 0 is preferred in the reported pair.
Connectivity strong_connectivity(int agents, const EdgeList& edges, std::vector<int>& component) {
  const CsrGraph g = csr_of(agents, edges);
  component.assign(static_cast<std::size_t>(agents), 0);
  const int count = static_cast<int>(boost::strong_components(
      g, boost::make_iterator_property_map(component.begin(), get(boost::vertex_index, g))));
  if (count <= 1) return {};
  std::vector<char> leaves(static_cast<std::size_t>(count), 0);  // an edge leaves the component
  for (const Edge& e : edges)
    if (component[e.first] != component[e.second]) leaves[component[e.first]] = 1;
  Connectivity c;
  c.strong = false;
  if (!leaves[component[0]]) {
    c.from = 0;
    for (int v = 1; v < agents && c.to < 0; ++v)
      if (component[v] != component[0]) c.to = v;
  } else {
    for (int v = 1; v < agents && c.from < 0; ++v)
      if (!leaves[component[v]]) c.from = v;
    c.to = 0;
  }
  return c;
}

// Longest shortest path of a strongly connected graph: one breadth-first search per agent.
int diameter_of(int agents, const EdgeList& edges) {
  const CsrGraph g = csr_of(agents, edges);
  const auto index = get(boost::vertex_index, g);
  std::vector<int> distance(static_cast<std::size_t>(agents));
  std::vector<boost::default_color_type> color(static_cast<std::size_t>(agents));
  auto distance_map = boost::make_iterator_property_map(distance.begin(), index);
  int diameter = 0;
  for (int s = 0; s < agents; ++s) {
    std::fill(distance.begin(), distance.end(), 0);
    boost::breadth_first_search(
        g, static_cast<std::size_t>(s),
        boost::visitor(
            boost::make_bfs_visitor(boost::record_distances(distance_map, boost::on_tree_edge())))
            .color_map(boost::make_iterator_property_map(color.begin(), index)));
    diameter = std::max(diameter, *std::max_element(distance.begin(), distance.end()));
  }
  return diameter;
}

// What would make the schedule B-strongly connected, per kind. More rounds help only a schedule
// whose window [t0, t1) has not yet seen every distinct round (period 0, or shorter than a period).
std::string remedy(const ScheduleAnalysis& a, const TopologySpec& spec, std::int64_t period) {
  const std::int64_t rounds = a.t1 - a.t0;
  const bool more_rounds_help = period == 0 || rounds < period;
  std::string parameter;
  if (a.kind == "erdos-renyi") parameter = "raise topology.probability";
  if (a.kind == "random-directed" || a.kind == "random-undirected")
    parameter = "raise topology.rate_min";
  if (a.kind == "file") parameter = "add edges to the schedule file '" + spec.file + "'";
  if (!more_rounds_help) return parameter;
  std::string rounds_hint = "topology.check_rounds";
  if (period > 0) rounds_hint += " to at least the period, " + std::to_string(period);
  if (parameter.empty()) return "raise " + rounds_hint;
  return parameter + " or " + rounds_hint;
}

// Pass 1, round by round: degrees, single-round strong connectivity (`alone`), the union (`all`)
// and the probes' push-sum error after each round (`error`, when probing).
void round_pass(Schedule& s, const AnalysisOptions& options, ScheduleAnalysis& a, EdgeUnion& all,
                std::vector<char>& alone, std::vector<double>& error) {
  const int n = a.agents;
  const std::int64_t rounds = a.t1 - a.t0;
  std::optional<detail::ProbePushSum> probes;
  if (options.contraction) {
    probes.emplace(n, s.seed());
    error.push_back(probes->relative_error());
  }
  EdgeUnion one(n);
  ReachCheck reach;
  alone.assign(static_cast<std::size_t>(rounds), 0);
  a.out_degree.min = a.in_degree.min = std::numeric_limits<int>::max();
  double degree_sum = 0.0;
  for (std::int64_t t = a.t0; t < a.t1; ++t) {
    const Digraph& g = s.round(t);
    for (int i = 0; i < n; ++i) {
      const int out = g.out_degree(i) - 1, in = g.in_degree(i) - 1;
      a.out_degree.min = std::min(a.out_degree.min, out);
      a.out_degree.max = std::max(a.out_degree.max, out);
      a.in_degree.min = std::min(a.in_degree.min, in);
      a.in_degree.max = std::max(a.in_degree.max, in);
      degree_sum += out;
    }
    one.clear();
    one.add(g);
    alone[static_cast<std::size_t>(t - a.t0)] = reach.strongly_connected(n, one.edges());
    a.strongly_connected_rounds += alone[static_cast<std::size_t>(t - a.t0)];
    all.add(g);
    if (probes) {
      probes->round(g);
      error.push_back(probes->relative_error());
    }
    if (options.progress) options.progress(t - a.t0 + 1, 2 * rounds);
  }
  const double agent_rounds = static_cast<double>(n) * static_cast<double>(rounds);
  a.out_degree.mean = a.in_degree.mean = degree_sum / agent_rounds;  // Σ out = Σ in
  a.edges_per_round = degree_sum / static_cast<double>(rounds);
}

// B (a.b), the union over [t0, t1) being strongly connected. Let L(s) be the shortest window
// starting at s whose union is strongly connected (∞ when it would run past t1). A window of
// length B starting at s fits iff s + B <= t1, so B works iff B >= min(L(s), t1 − s + 1) for every
// s; B is the largest of those bounds, none if it exceeds t1 − t0. The union only grows with the
// window, so the end s + L(s) − 1 never decreases as s advances: two pointers, O(t1 − t0)
// strong-component passes in all.
void window_bound(Schedule& s, const AnalysisOptions& options, const std::vector<char>& alone,
                  ScheduleAnalysis& a) {
  const int n = a.agents;
  const std::int64_t t0 = a.t0, t1 = a.t1, rounds = t1 - t0;
  ReachCheck reach;
  std::int64_t end = t0;  // inclusive end of the current window
  EdgeUnion window(n);
  for (std::int64_t start = t0; start < t1; ++start) {
    if (options.progress) options.progress(rounds + start - t0, 2 * rounds);
    end = std::max(end, start);
    if (end == start && alone[static_cast<std::size_t>(start - t0)]) {  // L(s) = 1, known
      a.b = std::max<std::int64_t>(a.b, 1);
      continue;
    }
    window.clear();
    for (std::int64_t t = start; t <= end; ++t) window.add(s.round(t));
    bool ran_off = false;
    while (!reach.strongly_connected(n, window.edges())) {
      if (++end == t1) {
        ran_off = true;
        break;
      }
      window.add(s.round(end));
    }
    if (ran_off) {
      // L(s') = ∞ from here on, and the bound t1 − s' + 1 is largest at s' = start.
      a.b = std::max(a.b, t1 - start + 1);
      break;
    }
    a.b = std::max(a.b, end - start + 1);
  }
}

// The probes' errors e_0, e_1, ... read as the initial and final error, the round from which
// push-sum is exact, and the contraction rate before it.
void contraction(const std::vector<double>& error, ScheduleAnalysis& a) {
  const std::int64_t rounds = a.t1 - a.t0;
  a.initial_error = error.front();
  a.final_error = error.back();
  std::int64_t k = 1;
  while (k <= rounds && error[static_cast<std::size_t>(k)] > kExactError) ++k;
  if (k <= rounds) a.exact_after_rounds = k;
  const std::int64_t prefix = k - 1;  // rounds with e_k > 1e-13
  a.contraction_rate = prefix == 0
                           ? 0.0
                           : std::pow(error[static_cast<std::size_t>(prefix)] / error.front(),
                                      1.0 / static_cast<double>(prefix));
}

}  // namespace

ScheduleAnalysis analyze_schedule(Schedule& s, std::int64_t t0, std::int64_t t1,
                                  const AnalysisOptions& options) {
  if (t0 < 0 || t1 <= t0)
    throw Error("topology analysis: need rounds [t0, t1) with 0 <= t0 < t1, got [" +
                std::to_string(t0) + ", " + std::to_string(t1) + ")");
  const int n = s.agents();
  ScheduleAnalysis a;
  a.agents = n;
  a.t0 = t0;
  a.t1 = t1;
  a.kind = s.spec().kind;
  a.seed = s.seed();
  EdgeUnion all(n, true);
  std::vector<char> alone;    // G(t) alone strongly connected
  std::vector<double> error;  // e_0, e_1, ...
  round_pass(s, options, a, all, alone, error);
  std::vector<int> component;
  const Connectivity whole = strong_connectivity(n, all.edges(), component);
  if (whole.strong) {
    window_bound(s, options, alone, a);
  } else {
    a.reason = "the union of those rounds is not strongly connected (agent " +
               std::to_string(whole.from) + " cannot reach agent " + std::to_string(whole.to) + ")";
    a.remedy = remedy(a, s.spec(), s.period());
  }
  all.unique();
  const double diameter_work = static_cast<double>(n) * static_cast<double>(all.edges().size());
  if (options.diameter && whole.strong &&
      diameter_work <= static_cast<double>(options.diameter_max_work))
    a.diameter = diameter_of(n, all.edges());
  if (options.contraction) contraction(error, a);
  return a;
}

void require_b_strongly_connected(const ScheduleAnalysis& a) {
  if (a.b > 0) return;
  throw Error("topology: kind '" + a.kind + "' with " + std::to_string(a.agents) +
              " agents (seed " + std::to_string(a.seed) +
              ") is not B-strongly connected over rounds [" + std::to_string(a.t0) + ", " +
              std::to_string(a.t1) + "): " + a.reason + "; " + a.remedy);
}

std::string describe(const ScheduleAnalysis& a) {
  std::ostringstream out;
  out << std::setprecision(4);
  out << "topology '" << a.kind << "', " << a.agents << " agents, seed " << a.seed << ", rounds ["
      << a.t0 << ", " << a.t1 << ")\n";
  if (a.b > 0)
    out << "B-strongly connected with B = " << a.b;
  else
    out << "not B-strongly connected: " << a.reason;
  out << "; " << a.strongly_connected_rounds << " of " << a.t1 - a.t0
      << " rounds strongly connected alone\n";
  out << "degrees without self-loops: out " << a.out_degree.min << " / " << a.out_degree.mean
      << " / " << a.out_degree.max << ", in " << a.in_degree.min << " / " << a.in_degree.mean
      << " / " << a.in_degree.max << " (min / mean / max); " << a.edges_per_round
      << " edges per round\n";
  if (a.diameter >= 0) out << "diameter of the union graph: " << a.diameter << "\n";
  if (a.contraction_rate >= 0.0) {
    out << "push-sum contraction: error × " << a.contraction_rate << " per round, "
        << a.initial_error << " -> " << a.final_error;
    if (a.exact_after_rounds > 0)
      out << ", below 1e-13 after " << a.exact_after_rounds << " rounds";
    out << "\n";
  }
  return out.str();
}

std::int64_t flooding_time(Schedule& schedule, std::int64_t t0, std::int64_t limit) {
  const int n = schedule.agents();
  if (n > kMaxFloodingAgents) return 0;
  const std::size_t words = (static_cast<std::size_t>(n) + 63) / 64;
  // heard[j]: the agents j has heard from (bit i of row j), itself at first.
  std::vector<std::uint64_t> heard(words * n, 0), next(words * n);
  for (int j = 0; j < n; ++j) heard[j * words + j / 64] |= std::uint64_t{1} << (j % 64);
  const std::uint64_t last_word =
      n % 64 == 0 ? ~std::uint64_t{0} : (std::uint64_t{1} << (n % 64)) - 1;
  const auto everyone = [&] {
    for (int j = 0; j < n; ++j) {
      const std::uint64_t* row = &heard[j * words];
      for (std::size_t w = 0; w + 1 < words; ++w)
        if (row[w] != ~std::uint64_t{0}) return false;
      if (row[words - 1] != last_word) return false;
    }
    return true;
  };
  for (std::int64_t r = 0; r < limit; ++r) {
    if (everyone()) return r;
    const Digraph& g = schedule.round(t0 + r);
    for (int j = 0; j < n; ++j) {  // j hears what its in-neighbours (itself included) had heard
      std::uint64_t* out = &next[j * words];
      std::fill(out, out + words, 0);
      for (const int* i = g.in_begin(j); i != g.in_end(j); ++i) {
        const std::uint64_t* in = &heard[static_cast<std::size_t>(*i) * words];
        for (std::size_t w = 0; w < words; ++w) out[w] |= in[w];
      }
    }
    heard.swap(next);
  }
  return everyone() ? limit : 0;
}

}  // namespace hyperpush::graph
