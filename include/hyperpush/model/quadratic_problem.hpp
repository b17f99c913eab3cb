#pragma once
// Quadratic bilevel problems with closed forms, for tests and for trusting every other number:
//   g_i = ½ xᵀ A_i x + xᵀ B_i λ_i,     f_i = ½ ‖x − c_i‖² + (γ/2) ‖λ_i‖²
// so H_i = A_i (symmetrized), J_i = B_iᵀ, ∇_x f_i = x − c_i, ∇_λ f_i = γ λ_i.
// File (JSON): {"gamma": γ, "agents": [{"A": [[…]], "B": [[…]], "c": […], "lambda": […]}, …]},
// A_i d × d, B_i d × p_i, c_i ∈ R^d, λ_i ∈ R^{p_i} (the starting point).
#include <memory>
#include <string>
#include <vector>

#include "hyperpush/model/local_problem.hpp"

namespace hyperpush::model {

struct QuadraticAgent {
  Matrix a;  // d × d
  Matrix b;  // d × p
  Vector c;  // d
  Vector lambda;
};

std::unique_ptr<LocalProblem> make_quadratic_problem(QuadraticAgent agent, double gamma);

// Reads the whole file (every agent); throws hyperpush::Error "path: agents[3].A: …" on bad input
// (wrong shapes, non-numbers, A not symmetric to 1e-12 relative, dimensions that differ between
// agents).
struct QuadraticFile {
  double gamma = 0;
  std::vector<QuadraticAgent> agents;
};
QuadraticFile read_quadratic_file(const std::string& path);

}  // namespace hyperpush::model
