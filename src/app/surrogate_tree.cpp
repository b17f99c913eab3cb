#include "surrogate_tree.hpp"

#include <algorithm>
#include <cmath>

#include "hyperpush/comm/gather.hpp"
#include "hyperpush/tree/sensitivity.hpp"

namespace hyperpush::app {
namespace {

// The agent's data relabelled with the model's predicted classes.
data::Dataset relabelled(const data::Dataset& part, const Eigen::VectorXi& predicted) {
  data::Dataset out = part;
  out.labels.assign(predicted.data(), predicted.data() + predicted.size());
  return out;
}

}  // namespace

nlohmann::json surrogate_trees(RunContext& c, const bilevel::AgentSet& agents,
                               const std::vector<data::AgentSplit>& parts,
                               const std::vector<model::Vector>& z) {
  const auto options = tree_learner_options(c.settings.tree);
  const auto seed = c.settings.seed;
  const int trials = c.settings.tree.trials;
  std::vector<double> rows(3 * agents.local_count(), std::nan(""));
  for (int i = 0; i < agents.local_count(); ++i) {
    const auto& problem = *agents.problems[i];
    using Part = model::LocalProblem::Part;
    const auto& lambda = agents.lambda[i];
    const data::Dataset train =
        relabelled(parts[i].train, problem.predict(z[i], lambda, Part::train));
    const data::Dataset test = relabelled(parts[i].test, problem.predict(z[i], lambda, Part::test));
    if (train.rows < 2) continue;
    const std::uint64_t tree_seed = seed + static_cast<std::uint64_t>(agents.first + i);
    const tree::TreeLearner learner(train, options);
    const tree::Tree fitted = learner.fit(tree_seed);
    rows[3 * i] = test.rows > 0 ? fitted.accuracy(test) : std::nan("");  // agreement with the model
    tree::SensitivityOptions sensitivity;
    sensitivity.remove = 1;
    sensitivity.trials = std::min<int>(trials, static_cast<int>(train.rows));
    sensitivity.data_seed = seed;
    sensitivity.tree_seed = tree_seed;
    rows[3 * i + 1] = tree::average_sensitivity(learner, fitted, sensitivity).distance.back();
    rows[3 * i + 2] = fitted.leaf_count();
  }
  const auto all = comm::gather_agents(communicator(c), comm::AgentMap(c.agents, c.ranks), rows, 3);
  if (c.rank != 0) return nullptr;
  nlohmann::json per_agent = nlohmann::json::array();
  double fidelity = 0, sensitivity = 0;
  int counted = 0;
  for (int i = 0; i < c.agents; ++i) {
    const double* r = all.data() + 3 * i;
    if (std::isnan(r[1])) continue;
    per_agent.push_back({{"agent", i},
                         {"fidelity", r[0]},
                         {"sensitivity", r[1]},
                         {"leaves", static_cast<int>(r[2])}});
    fidelity += r[0];
    sensitivity += r[1];
    ++counted;
  }
  return {{"learner", tree::describe(options)},
          {"max_depth", options.max_depth},
          {"mean_fidelity", counted ? fidelity / counted : 0.0},
          {"mean_sensitivity", counted ? sensitivity / counted : 0.0},
          {"agents", per_agent}};
}

}  // namespace hyperpush::app
