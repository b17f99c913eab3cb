#pragma once
// Stable surrogate trees as a local task after a decentralized run (issue: stable trees as a local
// task): each agent fits the [tree] learner to its model's predictions (the shared model, with its
// per-class logit offsets for that kind) on its own training part and reports the tree's fidelity
// (agreement with the model on its test part) and its average sensitivity (coupled removal of one
// training point). Nothing leaves the agent but the two numbers.
#include <nlohmann/json.hpp>
#include <vector>

#include "hyperpush/app/settings.hpp"
#include "hyperpush/app/task.hpp"
#include "hyperpush/bilevel/agent_set.hpp"
#include "hyperpush/data/partition.hpp"
#include "hyperpush/tree/learner.hpp"

namespace hyperpush::app {

// The learner of the [tree] keys (learner, max_depth, epsilon, thresholds, min_samples).
tree::LearnerOptions tree_learner_options(const TreeConfig& config);

// Per agent {"agent", "fidelity", "sensitivity", "leaves"} and their means, on rank 0 (null
// elsewhere). Collective (one gather).
nlohmann::json surrogate_trees(RunContext& c, const bilevel::AgentSet& agents,
                               const std::vector<data::AgentSplit>& parts,
                               const std::vector<model::Vector>& z);

}  // namespace hyperpush::app
