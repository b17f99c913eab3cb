// Task `hypergradient`: one inner solve, then one hyper-gradient per agent by the configured
// method, compared with the implicit-function formula at the same inner point (and, on problems
// small enough to gather, at x* itself for an end-to-end figure).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "hyperpush/app/bilevel_setup.hpp"
#include "hyperpush/app/commands.hpp"
#include "hyperpush/app/task.hpp"
#include "hyperpush/comm/gather.hpp"
#include "hyperpush/numeric.hpp"
#include "run_facts.hpp"

namespace hyperpush::app {
namespace {

using nlohmann::json;

std::vector<std::vector<double>> as_rows(const std::vector<model::Vector>& v) {
  std::vector<std::vector<double>> rows;
  for (const auto& x : v) rows.emplace_back(x.data(), x.data() + x.size());
  return rows;
}

// max_i ‖a_i − b_i‖ / max_i ‖b_i‖ over gathered rows.
double relative_error(const std::vector<std::vector<double>>& a,
                      const std::vector<std::vector<double>>& b) {
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Eigen::Map<const model::Vector> x(a[i].data(), a[i].size()), y(b[i].data(), b[i].size());
    diff = nan_max(diff, (x - y).norm());
    scale = nan_max(scale, y.norm());
  }
  return scale > 0 ? diff / scale : diff;
}

double max_norm(const std::vector<std::vector<double>>& rows) {
  double m = 0;
  for (const auto& r : rows)
    m = nan_max(m, Eigen::Map<const model::Vector>(r.data(), r.size()).norm());
  return m;
}

std::vector<double> as_row(const model::Vector& x) { return {x.data(), x.data() + x.size()}; }
model::Vector as_vector(const std::vector<double>& row) {
  return Eigen::Map<const model::Vector>(row.data(), row.size());
}

// A checkpoint of the hyper-gradient at a Neumann step boundary: the inner solve's result (z_i,
// its report and record), the recursion's state, the traffic counters before it, and the schedule
// round and exchange state. Per agent: z_i, u_i, v_i, its watch, (α_i, messages and bytes before[,
// chebyshev's μ_i]), its exchange state, its path of v_i, chebyshev's direction p_i (else empty).
struct Resumable {
  std::vector<model::Vector> z;
  bilevel::InnerReport inner;
  std::vector<double> traffic;  // per local agent: −messages, −bytes before the hyper-gradient
  std::int64_t rounds_before = 0;
  bilevel::NeumannState neumann;
};

void save(const RunContext& c, const consensus::Gossip& gossip, const Resumable& r,
          const InnerConvergence& convergence, const bilevel::NeumannState& s) {
  json shared;
  if (c.rank == 0)
    shared = {{"round", gossip.rounds_used()},
              {"rounds_before", r.rounds_before},
              {"channels", gossip.channels()},
              {"inner",
               {r.inner.rounds, r.inner.consensus_error, r.inner.gradient_norm, r.inner.converged}},
              {"convergence", convergence.state()}};
  const bool chebyshev = !s.mu.empty();
  std::vector<AgentState> local;
  for (std::size_t i = 0; i < r.z.size(); ++i)
    local.push_back(
        {as_row(r.z[i]), as_row(s.u[i]), as_row(s.v[i]), s.watch[i],
         chebyshev
             ? std::vector<double>{s.alpha[i], r.traffic[2 * i], r.traffic[2 * i + 1], s.mu[i]}
             : std::vector<double>{s.alpha[i], r.traffic[2 * i], r.traffic[2 * i + 1]},
         gossip.agent_state(static_cast<int>(i)),
         s.path.empty() ? std::vector<double>{} : s.path[i],
         chebyshev ? as_row(s.direction[i]) : std::vector<double>{}});
  c.checkpoints.write(s.step, shared, local);
}

Resumable restore(const RunContext& c, consensus::Gossip& gossip, InnerConvergence& convergence) {
  const Checkpoint from = c.checkpoints.load();
  const json& shared = from.shared;
  Resumable r;
  gossip.resume_at(shared.at("round"));
  r.rounds_before = shared.at("rounds_before");
  const json& inner = shared.at("inner");
  r.inner = {inner.at(0), inner.at(1), inner.at(2), inner.at(3)};
  convergence.restore(shared.at("convergence"));
  r.neumann.step = static_cast<int>(from.step);
  std::vector<std::vector<double>> gossip_rows;
  for (const AgentState& a : from.agents) {
    if (a.size() != 8 || a[4].size() != (a[7].empty() ? 3 : 4))
      throw Error("checkpoint: an agent state of another shape");
    r.z.push_back(as_vector(a[0]));
    r.neumann.u.push_back(as_vector(a[1]));
    r.neumann.v.push_back(as_vector(a[2]));
    r.neumann.watch.push_back(a[3]);
    r.neumann.alpha.push_back(a[4][0]);
    r.traffic.insert(r.traffic.end(), {a[4][1], a[4][2]});
    gossip_rows.push_back(a[5]);
    r.neumann.path.push_back(a[6]);
    if (a[4].size() == 4) {
      r.neumann.mu.push_back(a[4][3]);
      r.neumann.direction.push_back(as_vector(a[7]));
    }
  }
  if (!from.agents.empty() && from.agents.front()[6].empty()) r.neumann.path.clear();
  gossip.restore(shared.at("channels"), gossip_rows);
  return r;
}

// The inner solve (its z_i, report and record; the traffic counters and round before the
// hyper-gradient), or, resuming, all of that and the Neumann state from the newest checkpoint.
Resumable solve_or_resume(RunContext& c, consensus::Gossip& gossip, const bilevel::AgentSet& agents,
                          const bilevel::InnerOptions& inner_settings,
                          const bilevel::HypergradientOptions& options,
                          InnerConvergence& convergence) {
  Resumable r;
  on_all_ranks(c.comm, [&] {
    const bool neumann = options.method == bilevel::HypergradientMethod::hgp ||
                         options.method == bilevel::HypergradientMethod::server_neumann;
    if ((c.checkpoints.enabled() || c.resume) && !neumann)
      throw Error(std::string("checkpoint.every: hypergradient.method '") +
                  name_of(c.settings.hypergradient.method) +
                  "' takes no Neumann steps to checkpoint; valid: 0, or method hgp or "
                  "server-neumann");
    if (c.resume) r = restore(c, gossip, convergence);
  });
  if (c.resume) return r;
  const std::string solving = "inner solve";
  bilevel::InnerSolver inner(gossip, agents, with_progress(inner_settings, c.progress, solving));
  r.inner = inner.solve();
  r.z = inner.z();
  convergence.record(r.inner, "hypergradient");
  // Traffic of the hyper-gradient alone: counters before and after.
  for (int i = 0; i < agents.local_count(); ++i)
    r.traffic.insert(r.traffic.end(), {-static_cast<double>(gossip.traffic(i).messages),
                                       -static_cast<double>(gossip.traffic(i).bytes)});
  r.rounds_before = gossip.rounds_used();
  return r;
}

// The hyper-gradients gathered on rank 0, and the formula at the same inner points and at x*
// (Newton) when the problem is small enough to gather (`small`, the same on every rank); then also
// every agent's v_i at each depth (HypergradientResult::path).
struct Gathered {
  bool small = false;
  std::vector<std::vector<double>> v, e, e_star, path;
};

bool small_enough_to_gather(const RunContext& c, const bilevel::AgentSet& agents) {
  return static_cast<double>(c.agents) * agents.dim * agents.dim <= 5e7;
}

Gathered gather_with_exact(const RunContext& c, consensus::Gossip& gossip,
                           const bilevel::AgentSet& agents, const std::vector<model::Vector>& z,
                           const bilevel::HypergradientResult& result) {
  Gathered g;
  g.small = small_enough_to_gather(c, agents);
  std::vector<model::Vector> exact, exact_at_optimum;
  if (g.small) {
    exact = bilevel::exact_hypergradient(communicator(c), gossip.map(), agents, z);
    bilevel::InnerOptions newton;
    newton.method = bilevel::InnerMethod::exact;
    newton.rounds = 100;
    bilevel::InnerSolver solver(gossip, agents, newton);
    solver.solve();
    exact_at_optimum =
        bilevel::exact_hypergradient(communicator(c), gossip.map(), agents, solver.z());
  }
  g.v = comm::gather_ragged_agents(communicator(c), gossip.map(), as_rows(result.v));
  if (!result.path.empty())
    g.path = comm::gather_ragged_agents(communicator(c), gossip.map(), result.path);
  if (g.small) {
    g.e = comm::gather_ragged_agents(communicator(c), gossip.map(), as_rows(exact));
    g.e_star = comm::gather_ragged_agents(communicator(c), gossip.map(), as_rows(exact_at_optimum));
  }
  return g;
}

// metrics.jsonl: per depth m = 1..M, {"depth", "hypergradient_error"}, the error of every agent's
// v_i after m steps as summary.json's (at m = M the same number).
std::string errors_by_depth(const Gathered& g, int depth) {
  std::string lines;
  std::vector<std::vector<double>> at(g.path.size());
  for (int m = 1; m <= depth; ++m) {
    for (std::size_t i = 0; i < at.size(); ++i) {
      const std::size_t p = g.path[i].size() / depth;
      at[i].assign(g.path[i].begin() + (m - 1) * p, g.path[i].begin() + m * p);
    }
    lines += json{{"depth", m}, {"hypergradient_error", relative_error(at, g.e)}}.dump() + "\n";
  }
  return lines;
}

// What summary.json, hypergradients.json and stdout report (rank 0).
struct Outcome {
  const bilevel::HypergradientOptions& options;
  const bilevel::HypergradientResult& result;
  const bilevel::InnerReport& inner;
  int mixing_rounds;
  std::int64_t rounds, messages, bytes;
  int dim;
};

void report(const RunContext& c, const Outcome& o, const Gathered& g) {
  const std::string method = name_of(c.settings.hypergradient.method);
  const json none(nullptr);  // the figures against the formula, when it was not computed
  json per_agent = json::array();
  for (int i = 0; i < c.agents; ++i)
    per_agent.push_back(
        {{"id", i}, {"hypergradient", g.v[i]}, {"exact", g.small ? json(g.e[i]) : none}});
  const json summary = {
      {"task", "hypergradient"},
      {"method", method},
      {"agents", c.agents},
      {"dim", o.dim},
      {"seed", c.settings.seed},
      {"topology", c.settings.topology.kind},
      {"series", name_of(o.options.series)},
      {"depth", o.options.depth},
      {"push_rounds", o.options.push_rounds},
      {"alpha", o.result.alpha},
      {"mu", o.result.mu > 0 ? json(o.result.mu) : none},
      {"inner_solver", name_of(c.settings.inner.method)},
      {"inner_rounds", o.inner.rounds},
      {"inner_mixing_rounds", o.mixing_rounds},
      {"inner_residual", o.inner.gradient_norm},
      {"consensus_error", o.inner.consensus_error},
      {"inner_converged", o.inner.converged},
      {"hypergradient_rounds", o.rounds},
      {"bytes_sent", o.bytes},
      {"messages_sent", o.messages},
      {"hvp_count", o.result.hvp_count},
      {"jvp_count", o.result.jvp_count},
      {"hypergradient_error", g.small ? json(relative_error(g.v, g.e)) : none},
      {"exact_norm", g.small ? json(max_norm(g.e)) : none},
      {"end_to_end_error", g.small ? json(relative_error(g.v, g.e_star)) : none},
  };
  c.results->write("hypergradients.json", json{{"agents", per_agent}}.dump() + "\n");
  c.results->write("summary.json", summary.dump(2) + "\n");
  if (g.small && !g.path.empty())
    c.results->write("metrics.jsonl", errors_by_depth(g, o.options.depth));
  std::printf(
      "hyperpush hypergradient: %s, %d agent%s on %d rank%s, topology %s, seed %lld, d = %d\n",
      method.c_str(), c.agents, c.agents == 1 ? "" : "s", c.ranks, c.ranks == 1 ? "" : "s",
      c.settings.topology.kind.c_str(), static_cast<long long>(c.settings.seed), o.dim);
  std::printf("  inner    %s: %lld rounds, ||sum grad g(z)|| = %.2e, consensus error %.2e\n",
              name_of(c.settings.inner.method), static_cast<long long>(o.inner.rounds),
              o.inner.gradient_norm, o.inner.consensus_error);
  char bounds[64] = "";  // chebyshev's interval
  if (o.options.series == bilevel::Series::chebyshev)
    std::snprintf(bounds, sizeof bounds, " (chebyshev on [%.4g, %.4g])", o.result.mu,
                  1 / o.result.alpha);
  std::printf(
      "  %-8s M = %d, S = %d, alpha = %.4g%s: %lld rounds, %.3f MB sent, %lld HVPs per agent\n",
      method.c_str(), o.options.depth, o.options.push_rounds, o.result.alpha, bounds,
      static_cast<long long>(o.rounds), o.bytes / 1e6, static_cast<long long>(o.result.hvp_count));
  if (g.small)
    std::printf("  error vs exact at the same point %.3e, at x* %.3e (max ||exact|| = %.3e)\n",
                relative_error(g.v, g.e), relative_error(g.v, g.e_star), max_norm(g.e));
}

}  // namespace

void run_hypergradient(RunContext& c) {
  const auto start = std::chrono::steady_clock::now();
  consensus::Gossip gossip(communicator(c), c.schedule, exchange_options(c));
  bilevel::AgentSet agents;
  {
    const consensus::Gossip::Phase data(gossip, "data");
    on_all_ranks(c.comm, [&] { agents = build_agents(c.settings, gossip); });
  }
  const bilevel::InnerOptions inner_settings = inner_options(c.settings.inner, c.schedule);
  const auto options = hypergradient_options(c.settings, c.schedule_check.b);
  InnerConvergence convergence(c.settings.inner);
  Resumable r = solve_or_resume(c, gossip, agents, inner_settings, options, convergence);
  bilevel::NeumannCheckpoints neumann;
  neumann.from = c.resume ? &r.neumann : nullptr;
  neumann.record_path = small_enough_to_gather(c, agents);  // errors against depth (metrics.jsonl)
  neumann.at_step = [&](int step, const std::function<bilevel::NeumannState()>& state) {
    c.checkpoints.at_boundary(step,
                              [&](std::int64_t) { save(c, gossip, r, convergence, state()); });
  };
  const auto result = bilevel::compute_hypergradient(gossip, agents, r.z, options, neumann);
  const std::int64_t rounds = gossip.rounds_used() - r.rounds_before;
  bilevel::check_hypergradient(gossip, result, options);
  for (int i = 0; i < agents.local_count(); ++i) {
    r.traffic[2 * i] += static_cast<double>(gossip.traffic(i).messages);
    r.traffic[2 * i + 1] += static_cast<double>(gossip.traffic(i).bytes);
  }
  const auto traffic = comm::gather_agents(communicator(c), gossip.map(), r.traffic, 2);
  const Gathered gathered = [&] {
    const consensus::Gossip::Phase exact(gossip, "exact formula");
    return gather_with_exact(c, gossip, agents, r.z, result);
  }();
  convergence.finish(c.rank);
  const json wire = wire_facts(c, gossip.wire());
  PhaseTimes times;
  add_phase_times(times, gossip);
  const json memory = memory_facts(c);
  const json phases = phase_facts(c, times);
  if (c.rank != 0) return;

  std::int64_t messages = 0, bytes = 0;
  for (int i = 0; i < c.agents; ++i) {
    messages += static_cast<std::int64_t>(traffic[2 * i]);
    bytes += static_cast<std::int64_t>(traffic[2 * i + 1]);
  }
  report(c,
         {options, result, r.inner, bilevel::mixing_rounds(inner_settings), rounds, messages, bytes,
          agents.dim},
         gathered);
  json timings = run_facts(c);
  timings.update(wire);
  timings.update(phases);
  timings.update(memory);
  timings["seconds_total"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  c.results->write("timings.json", timings.dump(2) + "\n");
}

}  // namespace hyperpush::app
