#pragma once
// The agents one rank hosts: their local problems and their private hyperparameters λ_i, which
// never leave the rank (no message and no gather carries them).
#include <memory>
#include <vector>

#include "hyperpush/model/local_problem.hpp"

namespace hyperpush::bilevel {

struct AgentSet {
  int agents = 0;  // n, over all ranks
  int first = 0;   // id of problems[0]
  std::vector<std::unique_ptr<model::LocalProblem>> problems;
  std::vector<model::Vector> lambda;

  int local_count() const { return static_cast<int>(problems.size()); }
  int dim() const { return problems.empty() ? 0 : problems.front()->dim(); }
};

}  // namespace hyperpush::bilevel
