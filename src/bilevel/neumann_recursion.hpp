#pragma once
// The Neumann recursion shared by HGP and its server-averaged baseline (specs/hgp.md, "HGP"):
//   u_i ← (1/n) ∇_x f_i ;  v_i ← (1/n) ∇_λ f_i
//   repeat M times:  ŵ_i ← average_j(u_j) ;  v_i ← v_i − α J_i ŵ_i ;  u_i ← ŵ_i − α H_i ŵ_i
// With exact averages ū ← (I − α H̄) ū, so Σ_m (I − α H̄)^m = (α H̄)⁻¹ and v_i → dF/dλ_i.
// `average` replaces every local u_i by agent i's estimate of (1/n) Σ_j u_j.
//
// Divergence watch, by each agent alone (no communication): with α·λ_max(H̄) < 2 the averaged ‖ŵ_i‖
// never grows, so a ŵ_i or v_i that is not finite, a ‖ŵ_i‖ grown kNeumannGrowth-fold over its
// smallest value, or one that grows over the second half of the recursion, means α·λ_max ≥ 2 and a
// v that is garbage (inf, or a flipped sign). The first
// step that tripped, and the figures there, go to HypergradientResult::divergence;
// check_hypergradient (hypergradient.hpp) turns them into one error on every rank.
#include <functional>
#include <vector>

#include "hyperpush/bilevel/hypergradient.hpp"

namespace hyperpush::bilevel {

using Averager = std::function<void(std::vector<model::Vector>& u)>;

// `checkpoints.at_step` is offered the state at every step boundary; `checkpoints.from` (when
// given) is the state to continue from instead of the first step (its α replaces `alpha`).
HypergradientResult neumann_recursion(const AgentSet& agents, const std::vector<model::Vector>& z,
                                      int depth, const std::vector<double>& alpha,
                                      const Averager& average,
                                      const NeumannCheckpoints& checkpoints);

}  // namespace hyperpush::bilevel
