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
  int dim = 0;     // d, known on every rank (also one hosting no agent: message widths depend on it)
  std::vector<std::unique_ptr<model::LocalProblem>> problems;
  std::vector<model::Vector> lambda;

  int local_count() const { return static_cast<int>(problems.size()); }
};

}  // namespace hyperpush::bilevel
