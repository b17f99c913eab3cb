#pragma once
// The stable tree's split choice at one node (Hara & Yoshida, ICLR 2023; specs/stable-tree.md).
//
// Candidate c has score a_c = the node's samples classified correctly when each child predicts its
// majority class, or a_c < 0 when a side is empty (invalid). With K valid candidates and
// a_max = max_c a_c:
//
//   ε > 0 (stable):  P(c) ∝ exp(β a_c / a_max), β = 2 ln K / ε, computed shifted as
//                    w_c = exp(β (a_c / a_max − 1)) ∈ (0, 1] — at ε = 1e-5 and K ≈ 15,000, β is
//                    about 2e6 and the unshifted exponential overflows;
//   ε < 0 (greedy):  w_c = 1 when a_c = a_max, else 0 (uniform over the best splits).
//
// Invalid candidates get w_c = 0.
//
// The draw is an exponential race (the Gumbel-max trick): every candidate gets its own
// E_c = −ln(1 − U_c) ~ Exp(1), U_c = random_uniform(tree seed, tree_split, node position, 0, c),
// and the winner is argmin_c E_c / w_c, which has P(c) = w_c / Σ w. The fits on D and on D \ S see
// the same E_c at the same node position, so the winner changes only where the weights change
// enough to reorder the race — the coupling that makes the sensitivity estimate small. (An
// inverse-CDF draw with one uniform per node is exact too, but moves whenever any weight before the
// winner moves.) At ε → 0 every w_c < 1 underflows to 0 and the race is the greedy one.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hyperpush::tree {

// w_c for every candidate (`weights` is resized to scores.size()). Returns the number of valid
// candidates K. Costs one exp per distinct score (a table over 0..a_max), not one per candidate.
// epsilon = 0 is not a valid ε; it is treated as greedy.
std::size_t split_weights(const std::vector<int>& scores, double epsilon,
                          std::vector<double>& weights);

// argmin_c E_c / w_c over the candidates with w_c > 0 (the first on ties), with E_c keyed by
// (seed, tree_split, position, 0, c). Returns −1 when no weight is positive (no valid split: the
// node becomes a leaf). Costs one hash per candidate with w_c > 0 and a logarithm only for those
// that can still win (E_c >= U_c bounds the rest).
int draw_split(const std::vector<double>& weights, std::uint64_t seed, std::uint64_t position);

// The same draw from the scores: draw_split(split_weights(scores, epsilon), seed, position) without
// materialising the weights (what the learner calls at every node).
int draw_split(const std::vector<int>& scores, double epsilon, std::uint64_t seed,
               std::uint64_t position);

}  // namespace hyperpush::tree
