#pragma once
// Deterministic partitions of one data set over n agents, and each agent's train / validation /
// test split: pure functions of (data, seed) from the counter-based generator (random.hpp), so
// numpy replays them. A shuffle "keyed (purpose, a, b)" is the permutation that sorts positions
// i = 0 .. m − 1 by random_bits(seed, purpose, a, b, i), ties by position (a stable argsort).
//
// partition_iid: shuffle [0, n) keyed (partition_order, 0, 0); agent j takes the next block of
// ⌈n/agents⌉ samples if j < n mod agents, else ⌊n/agents⌋ (as numpy.array_split): sizes differ by
// at most one.
//
// partition_dirichlet: label skew as in FedMA (Wang et al., ICLR 2020) and FedEM's
// split_dataset_by_labels, which the HGP authors' code uses for EMNIST: each class's samples are
// spread over the agents in Dirichlet(α) proportions. FedEM draws the counts as Multinomial(|S_k|,
// p_k); here they are floors of the cumulative proportions (one random stream fewer, the same
// expected counts up to rounding). For each class k = 0, 1, ... with samples S_k (ascending):
//   p_k = symmetric_dirichlet_sample(agents, α, seed, label_proportions, k)   (data/dirichlet.hpp)
//   shuffle S_k keyed (partition_order, 1, k)
//   cut_j = ⌊|S_k| · (p_k[0] + ... + p_k[j])⌋ for j < agents − 1 (sums in order), cut_{agents−1}
//   = |S_k|; agent j takes the shuffled S_k[cut_{j−1}, cut_j) (cut_{−1} = 0).
// Small α gives each class to few agents (strong skew), large α gives every agent nearly the
// global label mix. Then, so that every agent has at least min_per_agent samples — moving samples
// rather than re-drawing the proportions, which terminates always and needs no attempt counter:
//   while an agent has fewer than min_per_agent: the receiver is the lowest-index such agent, the
//   donor the agent with the most samples (lowest index among ties); move the donor's largest
//   sample index to the receiver.
// A donor always has more than min_per_agent when agents · min_per_agent <= n, and a receiver
// never becomes a donor, so this moves exactly Σ_j max(0, min_per_agent − size_j) samples.
//
// Both return, for each agent, its sample indices in ascending order; every sample is in exactly
// one list.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hyperpush/data/dataset.hpp"

namespace hyperpush::data {

// Near-equal random blocks. Throws hyperpush::Error when agents < 1 or n_samples < agents.
std::vector<std::vector<std::size_t>> partition_iid(std::size_t n_samples, int agents,
                                                    std::uint64_t seed);

// Dirichlet(α) label skew; `labels` are in [0, classes). Throws hyperpush::Error when agents < 1,
// classes < 1, a label is outside [0, classes), α is not finite and > 0, or
// agents · min_per_agent > labels.size().
std::vector<std::vector<std::size_t>> partition_dirichlet(const std::vector<int>& labels,
                                                          int classes, int agents, double alpha,
                                                          std::uint64_t seed,
                                                          std::size_t min_per_agent);

struct AgentSplit {
  Dataset train, validation, test;
};

// Agent `agent`'s own split: shuffle its rows keyed (agent_split, agent, 0); the first
// n − n_val − n_test rows are `train`, the next n_val = round(validation_fraction · n) are
// `validation`, the last n_test = round(test_fraction · n) are `test` (round half away from zero),
// each in shuffled order. Throws hyperpush::Error unless both fractions are in [0, 1) with sum < 1,
// train is non-empty, and a part with a fraction > 0 is non-empty.
AgentSplit split_agent(const Dataset& agent_data, double validation_fraction, double test_fraction,
                       std::uint64_t seed, int agent);

}  // namespace hyperpush::data
