#pragma once
// Internal: the estimators behind compute_hypergradient (hypergradient.hpp documents them).
#include <vector>

#include "hyperpush/bilevel/hypergradient.hpp"

namespace hyperpush::bilevel {

HypergradientResult hyper_gradient_push(consensus::Gossip& gossip, const AgentSet& agents,
                                        const std::vector<model::Vector>& z, int depth,
                                        int push_rounds, const std::vector<double>& alpha,
                                        const std::vector<double>& mu,
                                        const HypergradientOptions& minibatches,
                                        const NeumannCheckpoints& checkpoints);

HypergradientResult server_neumann(consensus::Gossip& gossip, const AgentSet& agents,
                                   const std::vector<model::Vector>& z, int depth,
                                   const std::vector<double>& alpha, const std::vector<double>& mu,
                                   const HypergradientOptions& minibatches,
                                   const NeumannCheckpoints& checkpoints);

HypergradientResult hessian_exchange(consensus::Gossip& gossip, const AgentSet& agents,
                                     const std::vector<model::Vector>& z, int push_rounds);

HypergradientResult local_hypergradient(const AgentSet& agents, const std::vector<model::Vector>& z,
                                        double cg_tolerance, int cg_iterations);

}  // namespace hyperpush::bilevel
