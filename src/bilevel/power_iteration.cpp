// λ_max(H̄), H̄ = (1/n) Σ_j H_j, by a decentralized power iteration (specs/hgp.md, "Going beyond the
// paper"): every agent starts from the same seeded vector q, and each iteration
//   r_i ← H_i q_i ;  r̂_i ← push-sum average of r over S rounds (≈ H̄ q) ;  λ̂_i = ‖r̂_i‖/‖q_i‖ ;
//   q_i ← r̂_i / ‖r̂_i‖
// (with a shift s_i: r_i ← s_i q_i − H_i q_i, so r̂_i ≈ (s·I − H̄) q, for λ_min(H̄) = s − λ_max).
// Cost: iterations × (S rounds of d + 1 numbers per out-edge + 1 HVP per agent). With minibatches
// each HVP is on its own minibatch: λ̂ then estimates the top of E‖H_B q‖, at or above λ_max(H̄)
// (Jensen), so α errs on the safe side.
#include <algorithm>
#include <cmath>

#include "hyperpush/bilevel/hypergradient.hpp"
#include "hyperpush/consensus/push_sum.hpp"
#include "hyperpush/random.hpp"
#include "minibatches.hpp"

namespace hyperpush::bilevel {

std::vector<double> push_sum_power_iteration(consensus::Gossip& gossip, const AgentSet& agents,
                                             const std::vector<model::Vector>& z,
                                             const HypergradientOptions& options,
                                             const std::vector<double>& shift) {
  const int d = agents.dim, local = agents.local_count();
  const consensus::Gossip::Phase phase(gossip, "power iteration");
  consensus::PushSumAverage push_sum(gossip.vector_exchange(d + 1));
  model::Vector start(d);
  for (int k = 0; k < d; ++k) start[k] = random_normal(0, Purpose::power_iteration, k, 0, 0);
  start.normalize();
  std::vector<model::Vector> q(local, start);
  std::vector<double> estimate(local, 0.0);
  model::Vector r(d);
  const Minibatches batches(agents, options);
  const SampleUse use = shift.empty() ? SampleUse::power : SampleUse::shifted_power;
  for (int it = 0; it < options.power_iterations; ++it) {
    for (int i = 0; i < local; ++i) {
      batches.train(i, use, it);
      agents.problems[i]->hessian_vector(z[i], agents.lambda[i], q[i], r);  // r_i = H_i q_i
      if (!shift.empty()) r = shift[i] * q[i] - r;                          //  or (s_i − H_i) q_i
      std::copy(r.data(), r.data() + d, push_sum.value(i));
    }
    push_sum.reset_weights();
    for (int s = 0; s < options.power_push_rounds; ++s) push_sum.round(gossip.next_round());
    for (int i = 0; i < local; ++i) {
      push_sum.estimate(i, r.data());  // r̂_i ≈ H̄ q
      estimate[i] = r.norm() / q[i].norm();
      q[i] = r / r.norm();
    }
  }
  return estimate;
}

}  // namespace hyperpush::bilevel
