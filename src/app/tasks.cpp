#include <string>
#include <utility>

#include "hyperpush/app/task.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::app {

comm::ExchangeOptions exchange_options(const RunContext& c) {
  comm::ExchangeOptions options = c.settings.exchange;
  options.seed = c.settings.seed;
  for (const auto& [key, rank] : {std::pair<const char*, int>{"stall_rank", options.stall_rank},
                                  {"slow_rank", options.slow_rank}})
    if (rank >= c.ranks)
      throw Error(std::string("faults.") + key + " = " + std::to_string(rank) +
                      ", but the run has " + std::to_string(c.ranks) + " rank" +
                      (c.ranks == 1 ? "" : "s") + "; valid: -1 (none) to " +
                      std::to_string(c.ranks - 1),
                  kExitBadInput, true);
  return options;
}

const std::vector<TaskKind>& task_kinds() {
  static const std::vector<TaskKind> kinds = {
      {"average", "push-sum averaging of per-agent random vectors", run_average, "rounds", true},
      {"hypergradient", "one hyper-gradient per agent, against the exact formula",
       run_hypergradient, "Neumann steps"},
      {"hpo", "decentralized hyperparameter optimization: inner solve, hyper-gradient, update",
       run_hpo, "outer steps"},
      {"tree", "a decision tree (CART or the stable tree) and its sensitivity", run_tree, nullptr},
      {"explain", "similarity-based explanation (grad-cos and others) and its three tests",
       run_explain, nullptr},
      {"influence",
       "influence of each training sample on the validation loss by HGP, checked by removal",
       run_influence, nullptr},
  };
  return kinds;
}

std::string checkpointing_tasks() {
  std::string names;
  for (const auto& kind : task_kinds())
    if (kind.checkpoint_step) names += (names.empty() ? "" : ", ") + std::string(kind.name);
  return names;
}

}  // namespace hyperpush::app
