#include "hyperpush/data/partition.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "hyperpush/data/dirichlet.hpp"
#include "hyperpush/data/split.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"
#include "keyed_order.hpp"
#include "number_text.hpp"

namespace hyperpush::data {
namespace {

void check_agents(int agents) {
  if (agents < 1)
    throw Error("partition: agents = " + std::to_string(agents) +
                " is out of range; valid: at least 1");
}

void check_fraction(double fraction, const char* key) {
  if (!(fraction >= 0 && fraction < 1))
    throw Error(std::string(key) + " = " + detail::number_text(fraction) +
                " is out of range; valid: [0, 1)");
}

}  // namespace

std::vector<std::vector<std::size_t>> partition_iid(std::size_t n_samples, int agents,
                                                    std::uint64_t seed) {
  check_agents(agents);
  const auto n_agents = static_cast<std::size_t>(agents);
  if (n_samples < n_agents)
    throw Error("partition: " + std::to_string(n_samples) + " samples cannot give each of " +
                std::to_string(agents) +
                " agents a sample; valid: agents <= " + std::to_string(n_samples));
  const auto order = detail::keyed_order(n_samples, seed, Purpose::partition_order, 0, 0);
  std::vector<std::vector<std::size_t>> out(n_agents);
  // Agent j: ⌈n/agents⌉ samples for j < n mod agents, else ⌊n/agents⌋.
  std::size_t begin = 0;
  for (std::size_t j = 0; j < n_agents; ++j) {
    const std::size_t size = n_samples / n_agents + (j < n_samples % n_agents ? 1 : 0);
    out[j].assign(order.begin() + begin, order.begin() + begin + size);
    std::sort(out[j].begin(), out[j].end());
    begin += size;
  }
  return out;
}

std::vector<std::vector<std::size_t>> partition_dirichlet(const std::vector<int>& labels,
                                                          int classes, int agents, double alpha,
                                                          std::uint64_t seed,
                                                          std::size_t min_per_agent) {
  check_agents(agents);
  if (classes < 1)
    throw Error("partition: classes = " + std::to_string(classes) +
                " is out of range; valid: at least 1");
  if (!(std::isfinite(alpha) && alpha > 0))
    throw Error("partition: data.alpha = " + detail::number_text(alpha) +
                " is out of range; valid: a finite number > 0");
  const std::size_t n = labels.size();
  const auto n_agents = static_cast<std::size_t>(agents);
  // agents · min_per_agent <= n, without overflow
  if (min_per_agent > n / n_agents)
    throw Error("partition: " + std::to_string(n) + " samples cannot give each of " +
                std::to_string(agents) + " agents the " + std::to_string(min_per_agent) +
                " samples a Dirichlet split guarantees every agent; valid: at most " +
                std::to_string(n / min_per_agent) + " agents, or data.partition = \"iid\"");
  std::vector<std::vector<std::size_t>> by_class(static_cast<std::size_t>(classes));
  for (std::size_t i = 0; i < n; ++i) {
    if (labels[i] < 0 || labels[i] >= classes)
      throw Error("partition: sample " + std::to_string(i) + " has label " +
                  std::to_string(labels[i]) + "; valid: [0, " + std::to_string(classes) + ")");
    by_class[labels[i]].push_back(i);
  }

  std::vector<std::vector<std::size_t>> out(n_agents);
  for (std::size_t k = 0; k < by_class.size(); ++k) {
    const std::vector<std::size_t>& samples = by_class[k];
    const std::size_t n_k = samples.size();
    // p_k ~ Dirichlet(α · 1_agents); agent j takes shuffled S_k[cut_{j−1}, cut_j),
    // cut_j = ⌊n_k · Σ_{i<=j} p_k[i]⌋.
    const auto p = symmetric_dirichlet_sample(agents, alpha, seed, Purpose::label_proportions, k);
    const auto order = detail::keyed_order(n_k, seed, Purpose::partition_order, 1, k);
    double cumulative = 0;
    std::size_t begin = 0;
    for (std::size_t j = 0; j < n_agents; ++j) {
      cumulative += p[j];
      const std::size_t end =
          j + 1 == n_agents ? n_k
                            : std::min(n_k, static_cast<std::size_t>(std::floor(n_k * cumulative)));
      for (std::size_t r = begin; r < end; ++r) out[j].push_back(samples[order[r]]);
      begin = std::max(begin, end);
    }
  }
  for (auto& indices : out) std::sort(indices.begin(), indices.end());

  // Every agent gets at least min_per_agent: the lowest-index short agent receives the largest
  // sample index of the largest agent (lowest index among ties). Receivers never donate: they end
  // at min_per_agent, donors hold more, so donors' lists stay sorted under pop_back.
  for (std::size_t r = 0; r < n_agents; ++r) {
    while (out[r].size() < min_per_agent) {
      std::size_t donor = 0;
      for (std::size_t j = 1; j < n_agents; ++j)
        if (out[j].size() > out[donor].size()) donor = j;
      out[r].push_back(out[donor].back());
      out[donor].pop_back();
    }
    std::sort(out[r].begin(), out[r].end());
  }
  return out;
}

AgentSplit split_agent(const Dataset& agent_data, double validation_fraction, double test_fraction,
                       std::uint64_t seed, int agent) {
  if (agent < 0)
    throw Error("split_agent: agent = " + std::to_string(agent) + " is out of range; valid: >= 0");
  check_fraction(validation_fraction, "data.validation_fraction");
  check_fraction(test_fraction, "data.test_fraction");
  if (!(validation_fraction + test_fraction < 1))
    throw Error("data.validation_fraction + data.test_fraction = " +
                detail::number_text(validation_fraction) + " + " +
                detail::number_text(test_fraction) + " leaves no training data; valid: a sum < 1");
  const std::size_t n = agent_data.rows;
  const auto n_validation = static_cast<std::size_t>(std::llround(validation_fraction * n));
  const auto n_test = static_cast<std::size_t>(std::llround(test_fraction * n));
  const char* empty = n_validation + n_test >= n                     ? "train"
                      : validation_fraction > 0 && n_validation == 0 ? "validation"
                      : test_fraction > 0 && n_test == 0             ? "test"
                                                                     : nullptr;
  if (empty != nullptr)
    throw Error(
        agent_data.source + ": agent " + std::to_string(agent) + " has " + std::to_string(n) +
        " samples; data.validation_fraction = " + detail::number_text(validation_fraction) +
        " and data.test_fraction = " + detail::number_text(test_fraction) + " would leave its " +
        empty + " part empty; valid: more samples per agent or other fractions");
  const std::size_t n_train = n - n_validation - n_test;
  const auto order =
      detail::keyed_order(n, seed, Purpose::agent_split, static_cast<std::uint64_t>(agent), 0);
  AgentSplit out;
  out.train = subset(agent_data, {order.begin(), order.begin() + n_train});
  out.validation =
      subset(agent_data, {order.begin() + n_train, order.begin() + n_train + n_validation});
  out.test = subset(agent_data, {order.begin() + n_train + n_validation, order.end()});
  return out;
}

}  // namespace hyperpush::data
