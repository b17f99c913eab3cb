// HGP (Terashita & Hara, "Decentralized Hyper-Gradient Computation over Time-Varying Directed
// Networks", 2023) and its server-averaged baseline: the same Neumann recursion
// (neumann_recursion.hpp), averaged by S push-sum rounds or exactly.
// Cost of HGP per hyper-gradient: M·S rounds of d + 1 numbers per out-edge, M HVPs and M JVPs per
// agent, memory O(d + p_i). λ_i never leaves its agent; no matrix is formed or sent.
#include "hyper_gradient_push.hpp"

#include <algorithm>

#include "hyperpush/comm/gather.hpp"
#include "hyperpush/consensus/push_sum.hpp"
#include "neumann_recursion.hpp"

namespace hyperpush::bilevel {

HypergradientResult hyper_gradient_push(consensus::Gossip& gossip, const AgentSet& agents,
                                        const std::vector<model::Vector>& z, int depth,
                                        int push_rounds, const std::vector<double>& alpha,
                                        const std::vector<double>& mu,
                                        const HypergradientOptions& minibatches,
                                        const NeumannCheckpoints& checkpoints) {
  const int d = agents.dim;
  const consensus::Gossip::Phase phase(gossip, "hypergradient push-sum");
  consensus::PushSumAverage push_sum(gossip.vector_exchange(d + 1));
  const Averager average = [&](std::vector<model::Vector>& u) {
    for (int i = 0; i < agents.local_count(); ++i)
      std::copy(u[i].data(), u[i].data() + d, push_sum.value(i));  // w_i ← u_i
    push_sum.reset_weights();                                      // ω_i ← 1
    for (int s = 0; s < push_rounds; ++s) push_sum.round(gossip.next_round());
    for (int i = 0; i < agents.local_count(); ++i) push_sum.estimate(i, u[i].data());  // w_i/ω_i
  };
  return neumann_recursion(agents, z, depth, alpha, mu, minibatches, average, checkpoints);
}

HypergradientResult server_neumann(consensus::Gossip& gossip, const AgentSet& agents,
                                   const std::vector<model::Vector>& z, int depth,
                                   const std::vector<double>& alpha, const std::vector<double>& mu,
                                   const HypergradientOptions& minibatches,
                                   const NeumannCheckpoints& checkpoints) {
  const int d = agents.dim, local = agents.local_count();
  std::vector<double> rows(static_cast<std::size_t>(local) * d);
  const Averager average = [&](std::vector<model::Vector>& u) {
    for (int i = 0; i < local; ++i) std::copy(u[i].data(), u[i].data() + d, rows.begin() + i * d);
    const auto all = comm::allgather_agents(gossip.comm(), gossip.map(), rows, d);
    auto mean = comm::sum_in_agent_order(all, agents.agents, d);  // Σ_j u_j, agent order
    for (double& m : mean) m /= agents.agents;
    for (int i = 0; i < local; ++i) std::copy(mean.begin(), mean.end(), u[i].data());
  };
  return neumann_recursion(agents, z, depth, alpha, mu, minibatches, average, checkpoints);
}

}  // namespace hyperpush::bilevel
