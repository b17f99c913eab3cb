// The implicit-function formula, dense (specs/hgp.md, "Exact oracle"):
//   q = [Σ_j H_j]⁻¹ (1/n) Σ_j ∇_x f_j ;   dF/dλ_i = (1/n) ∇_λ f_i − J_i q
// Every rank gathers every agent's H_j(z_j) and ∇_x f_j(z_j) and sums them in agent order, so every
// rank solves the same system bit for bit. For tests and error curves; n·d² numbers are gathered.
#include <Eigen/Cholesky>
#include <string>

#include "hyper_gradient_push.hpp"
#include "hyperpush/comm/gather.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::bilevel {

std::vector<model::Vector> exact_hypergradient(const comm::Communicator& comm,
                                               const comm::AgentMap& map, const AgentSet& agents,
                                               const std::vector<model::Vector>& z) {
  const int d = agents.dim, local = agents.local_count(), n = agents.agents;
  if (static_cast<double>(n) * d * d > 5e7)
    throw Error("hypergradient.method = \"exact\": " + std::to_string(n) + " agents × d² = " +
                    std::to_string(d) + "² is too large to gather (limit 5e7 numbers); use hgp",
                kExitBadInput, true);  // the same on every rank: one line
  const int width = d * d + d;
  std::vector<double> rows(static_cast<std::size_t>(local) * width);
  for (int i = 0; i < local; ++i) {
    const auto& p = *agents.problems[i];
    Eigen::Map<model::Matrix>(rows.data() + std::size_t(i) * width, d, d) =
        p.hessian(z[i], agents.lambda[i]);
    Eigen::Map<model::Vector> grad(rows.data() + std::size_t(i) * width + d * d, d);
    p.outer_gradient_x(z[i], agents.lambda[i], grad);
  }
  const auto sum =
      comm::sum_in_agent_order(comm::allgather_agents(comm, map, rows, width), n, width);
  const Eigen::Map<const model::Matrix> hessian_sum(sum.data(), d, d);  // Σ_j H_j
  const model::Vector outer = Eigen::Map<const model::Vector>(sum.data() + d * d, d) / n;
  const Eigen::LDLT<model::Matrix> factor(hessian_sum);
  if (factor.info() != Eigen::Success || !(factor.vectorD().array() > 0).all())
    throw Error(
        "hypergradient: Σ_j H_j is not positive definite at the inner point; the inner "
        "problem must be strongly convex (add a ridge term: model.l2)");
  const model::Vector q = factor.solve(outer);  // [Σ H]⁻¹ (1/n) Σ ∇f
  std::vector<model::Vector> v(local);
  for (int i = 0; i < local; ++i) {
    const auto& p = *agents.problems[i];
    model::Vector grad_lambda(p.hyper_dim()), jq(p.hyper_dim());
    p.outer_gradient_lambda(z[i], agents.lambda[i], grad_lambda);
    p.cross_vector(z[i], agents.lambda[i], q, jq);
    v[i] = grad_lambda / n - jq;  // (1/n) ∇_λ f_i − J_i q
  }
  return v;
}

}  // namespace hyperpush::bilevel
