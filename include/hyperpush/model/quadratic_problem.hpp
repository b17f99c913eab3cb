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

// Throws hyperpush::Error when the shapes do not fit (A d × d, B d × p, c ∈ R^d, λ ∈ R^p) or gamma
// is not a finite number >= 0.
std::unique_ptr<LocalProblem> make_quadratic_problem(QuadraticAgent agent, double gamma);

// Reads the whole file (every agent); throws hyperpush::Error "path: agents[3].A: …" on bad input
// (invalid JSON, missing or unknown keys, wrong shapes, non-numbers, A not symmetric to 1e-12
// relative to max |A|, dimensions that differ between agents, gamma not a finite number >= 0).
// d comes from agents[0].A; p_i from the first row of agents[i].B.
// experiments/problems/quadratic-3agents.json (made by make_quadratic.py) is a shipped instance.
struct QuadraticFile {
  double gamma = 0;
  std::vector<QuadraticAgent> agents;
};
QuadraticFile read_quadratic_file(const std::string& path);

}  // namespace hyperpush::model
