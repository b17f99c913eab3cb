#pragma once
// The bilevel tasks' set-up from a config: the rank's agents (problems and λ_i) and the options of
// the inner solver and the hyper-gradient estimator.
#include "hyperpush/app/config.hpp"
#include "hyperpush/bilevel/agent_set.hpp"
#include "hyperpush/bilevel/hypergradient.hpp"
#include "hyperpush/bilevel/inner_solver.hpp"
#include "hyperpush/consensus/gossip.hpp"
#include "hyperpush/data/partition.hpp"

namespace hyperpush::app {

// [problem] kind = "quadratic": the agents of problem.file. kind = "model": a [model] on [data]:
// every rank reads the data set, deals it to the n agents (data.partition, seeded), keeps its own
// agents' shards and splits each into train / validation / test; with data.standardize the feature
// moments are averaged by push-sum over the schedule (the only data-derived numbers that travel).
// Collective (push-sum rounds); throws hyperpush::Error on bad inputs.
// `parts`, when given, receives the local agents' (standardized) train / validation / test data
// (empty for quadratic problems).
bilevel::AgentSet build_agents(const Config& config, consensus::Gossip& gossip,
                               std::vector<data::AgentSplit>* parts = nullptr);

bilevel::InnerOptions inner_options(const Config& config);
// The schedule's B (from the pre-run check) sets the max-consensus rounds that make α agree.
bilevel::HypergradientOptions hypergradient_options(const Config& config, int agents,
                                                    std::int64_t b);

}  // namespace hyperpush::app
