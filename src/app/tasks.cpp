#include "hyperpush/app/task.hpp"

namespace hyperpush::app {

const std::vector<TaskKind>& task_kinds() {
  static const std::vector<TaskKind> kinds = {
      {"average", "push-sum averaging of per-agent random vectors", run_average},
      {"hypergradient", "one hyper-gradient per agent, against the exact formula",
       run_hypergradient},
      {"hpo", "decentralized hyperparameter optimization: inner solve, hyper-gradient, update",
       run_hpo},
      {"tree", "a decision tree (CART or the stable tree) and its sensitivity", run_tree},
      {"explain", "similarity-based explanation (grad-cos and others) and its three tests",
       run_explain},
  };
  return kinds;
}

}  // namespace hyperpush::app
