#pragma once
// The Neumann recursion shared by HGP and its server-averaged baseline (specs/hgp.md, "HGP"):
//   u_i ← (1/n) ∇_x f_i ;  v_i ← (1/n) ∇_λ f_i
//   repeat M times:  ŵ_i ← average_j(u_j) ;  v_i ← v_i − α J_i ŵ_i ;  u_i ← ŵ_i − α H_i ŵ_i
// With exact averages ū ← (I − α H̄) ū, so Σ_m (I − α H̄)^m = (α H̄)⁻¹ and v_i → dF/dλ_i.
// `average` replaces every local u_i by agent i's estimate of (1/n) Σ_j u_j.
#include <functional>
#include <vector>

#include "hyperpush/bilevel/hypergradient.hpp"

namespace hyperpush::bilevel {

using Averager = std::function<void(std::vector<model::Vector>& u)>;

HypergradientResult neumann_recursion(const AgentSet& agents, const std::vector<model::Vector>& z,
                                      int depth, const std::vector<double>& alpha,
                                      const Averager& average);

}  // namespace hyperpush::bilevel
