// Baseline "Hessian exchange" (the approach of Chen et al. 2022 / Yang et al. 2022 that HGP
// avoids): agents average (vec H_i, (1/n) ∇_x f_i) by push-sum over S rounds, then each solves
//   q_i = H̄_i⁻¹ ū_i   (H̄_i ≈ (1/n) Σ H_j, ū_i ≈ (1/n²) Σ ∇_x f_j)  and returns (1/n) ∇_λ f_i − J_i
//   q_i.
// Exact in the limit of rounds, but d² + d + 1 numbers per message: it shows the communication gap.
#include <Eigen/Cholesky>
#include <algorithm>

#include "hyper_gradient_push.hpp"
#include "hyperpush/consensus/push_sum.hpp"

namespace hyperpush::bilevel {

HypergradientResult hessian_exchange(consensus::Gossip& gossip, const AgentSet& agents,
                                     const std::vector<model::Vector>& z, int push_rounds) {
  const int d = agents.dim, local = agents.local_count(), n = agents.agents;
  const consensus::Gossip::Phase phase(gossip, "hessian exchange");
  consensus::MessageLayout message;  // vec H_i | (1/n) ∇_x f_i | ω: d² + d + 1 numbers
  const consensus::Block hessian = message.add(d * d), outer = message.add(d);
  consensus::PushSumAverage push_sum(gossip.exchange(message.width()));
  for (int i = 0; i < local; ++i) {
    const auto& p = *agents.problems[i];
    Eigen::Map<model::Matrix>(push_sum.value(i, hessian), d, d) = p.hessian(z[i], agents.lambda[i]);
    Eigen::Map<model::Vector> grad(push_sum.value(i, outer), d);
    p.outer_gradient_x(z[i], agents.lambda[i], grad);
    grad /= n;
  }
  for (int s = 0; s < push_rounds; ++s) push_sum.round(gossip.next_round());
  HypergradientResult out;
  out.v.resize(local);
  model::Matrix hessian_mean(d, d);  // ≈ (1/n) Σ_j H_j
  model::Vector outer_mean(d);       // ≈ (1/n²) Σ_j ∇_x f_j
  for (int i = 0; i < local; ++i) {
    const auto& p = *agents.problems[i];
    push_sum.estimate(i, hessian, hessian_mean.data());
    push_sum.estimate(i, outer, outer_mean.data());
    const model::Vector q = hessian_mean.ldlt().solve(outer_mean);
    model::Vector grad_lambda(p.hyper_dim()), jq(p.hyper_dim());
    p.outer_gradient_lambda(z[i], agents.lambda[i], grad_lambda);
    p.cross_vector(z[i], agents.lambda[i], q, jq);
    out.v[i] = grad_lambda / n - jq;
  }
  return out;
}

}  // namespace hyperpush::bilevel
