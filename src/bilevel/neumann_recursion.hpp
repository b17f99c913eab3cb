#pragma once
// The Neumann recursion shared by HGP and its server-averaged baseline (specs/hgp.md, "HGP"):
//   u_i ← (1/n) ∇_x f_i ;  v_i ← (1/n) ∇_λ f_i
//   repeat M times:  ŵ_i ← average_j(u_j) ;  v_i ← v_i − α J_i ŵ_i ;  u_i ← ŵ_i − α H_i ŵ_i
// With exact averages ū ← (I − α H̄) ū, so Σ_m (I − α H̄)^m = (α H̄)⁻¹ and v_i → dF/dλ_i.
// `average` replaces every local u_i by agent i's estimate of (1/n) Σ_j u_j.
// With minibatches (HypergradientOptions::batch, outer_batch) the products of step m take agent i's
// rows of key (agent, draw·2^32 + 2m, ·) and the outer gradients those of (agent, draw·2^32 + 1, ·)
// (Purpose::minibatch): the b samples of smallest key, so any rank count draws the same.
//
// ŵ is the residual ū − H̄ s_m of the sum s_m = Σ_{k<m} α ŵ_k so far, and the step direction is αŵ.
// Chebyshev semi-iteration (Saad, Iterative Methods for Sparse Linear Systems, alg. 12.1) on the
// bounds [μ, L] of H̄'s spectrum only changes the direction: with θ = (L + μ)/2, δ = (L − μ)/2,
// σ = θ/δ, ρ_0 = 1/σ and ρ_m = 1/(2σ − ρ_{m−1}),
//   p_i ← ŵ_i/θ (m = 0),  p_i ← ρ_m ρ_{m−1} p_i + (2ρ_m/δ) ŵ_i ;
//   v_i ← v_i − J_i p_i ;  u_i ← ŵ_i − H_i p_i
// Its residual is P_m(H̄) ū with max |P_m| = 1/T_m(σ) on [μ, L]: (√κ − 1)/(√κ + 1) a step, κ = L/μ.
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
// given) is the state to continue from instead of the first step (its α and μ replace `alpha` and
// `mu`). `mu` empty: the Neumann series; else Chebyshev on [mu_i, 1/alpha_i] for agent i.
HypergradientResult neumann_recursion(const AgentSet& agents, const std::vector<model::Vector>& z,
                                      int depth, const std::vector<double>& alpha,
                                      const std::vector<double>& mu,
                                      const HypergradientOptions& minibatches,
                                      const Averager& average,
                                      const NeumannCheckpoints& checkpoints);

}  // namespace hyperpush::bilevel
