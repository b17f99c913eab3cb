// Plugging a model of your own into hyperpush: implement model::LocalProblem (value, gradient,
// Hessian-vector and Jacobian-vector products of your inner loss g_i and outer loss f_i) and every
// algorithm of the framework runs on it. Here: a least-squares model per agent,
//   g_i(x, λ) = (1/2m) ‖M_i x − b_i‖² + ½ e^λ ‖x‖²,    f_i(x) = ½ ‖x − t_i‖²,
// tuned by HGP over a random directed schedule and checked against the exact hyper-gradient.
// Run: mpirun -np 2 ./custom_model   (prints the relative error; exit code 1 above 1e-8)
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <memory>

#include "hyperpush/bilevel/hypergradient.hpp"
#include "hyperpush/bilevel/inner_solver.hpp"
#include "hyperpush/comm/gather.hpp"
#include "hyperpush/random.hpp"

namespace {

using namespace hyperpush;
using model::VectorOut;
using model::VectorRef;

class LeastSquares final : public model::LocalProblem {
 public:
  LeastSquares(model::Matrix m, model::Vector b, model::Vector target)
      : m_(std::move(m)), b_(std::move(b)), target_(std::move(target)) {}

  int dim() const override { return static_cast<int>(m_.cols()); }
  int hyper_dim() const override { return 1; }

  double inner_loss(const VectorRef& x, const VectorRef& l) const override {
    return (m_ * x - b_).squaredNorm() / (2.0 * m_.rows()) + 0.5 * std::exp(l[0]) * x.squaredNorm();
  }
  void inner_gradient(const VectorRef& x, const VectorRef& l, VectorOut out) const override {
    out = m_.transpose() * (m_ * x - b_) / double(m_.rows()) + std::exp(l[0]) * x;
  }
  void hessian_vector(const VectorRef&, const VectorRef& l, const VectorRef& w,
                      VectorOut out) const override {
    out = m_.transpose() * (m_ * w) / double(m_.rows()) + std::exp(l[0]) * w;
  }
  void cross_vector(const VectorRef& x, const VectorRef& l, const VectorRef& w,
                    VectorOut out) const override {
    out[0] = std::exp(l[0]) * x.dot(w);  // ∂/∂λ of ∇_x g · w
  }
  double outer_loss(const VectorRef& x, const VectorRef&) const override {
    return 0.5 * (x - target_).squaredNorm();
  }
  void outer_gradient_x(const VectorRef& x, const VectorRef&, VectorOut out) const override {
    out = x - target_;
  }
  void outer_gradient_lambda(const VectorRef&, const VectorRef&, VectorOut out) const override {
    out.setZero();
  }
  model::Vector initial_lambda() const override {
    return model::Vector::Constant(1, std::log(0.1));
  }

 private:
  model::Matrix m_;
  model::Vector b_, target_;
};

double draw(std::uint64_t a, std::uint64_t b) {
  return random_normal(2024, Purpose::initial_value, a, b, 0);
}

int run() {
  const int agents = 5, d = 8, rows = 20;
  graph::TopologySpec topology;  // random-directed, r_uv ~ U(0.4, 0.8)
  graph::Schedule schedule(topology, agents, 1);
  consensus::Gossip gossip(comm::Communicator::world(), schedule);
  bilevel::AgentSet set;
  set.agents = agents;
  set.first = gossip.first_local();
  set.dim = d;
  for (int i = set.first; i < set.first + gossip.local_count(); ++i) {
    model::Matrix m(rows, d);
    model::Vector b(rows), target(d);
    for (int r = 0; r < rows; ++r) {
      b[r] = draw(i, 1000 + r);
      for (int k = 0; k < d; ++k) m(r, k) = draw(i, r * d + k);
    }
    for (int k = 0; k < d; ++k) target[k] = draw(i, 5000 + k);
    set.problems.push_back(std::make_unique<LeastSquares>(m, b, target));
    set.lambda.push_back(set.problems.back()->initial_lambda());
  }
  bilevel::InnerOptions inner_options;
  inner_options.method = bilevel::InnerMethod::push_diging;
  bilevel::InnerSolver inner(gossip, set, inner_options);
  const auto report = inner.solve();
  bilevel::HypergradientOptions options;  // HGP, α by push-sum power iteration
  options.depth = 300;
  options.push_rounds = 40;
  const auto hgp = bilevel::compute_hypergradient(gossip, set, inner.z(), options);
  const auto exact = bilevel::exact_hypergradient(gossip.comm(), gossip.map(), set, inner.z());
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < exact.size(); ++i) {
    diff = std::max(diff, (hgp.v[i] - exact[i]).norm());
    scale = std::max(scale, exact[i].norm());
  }
  const auto largest = comm::max_over_ranks(gossip.comm(), {diff, scale});
  diff = largest[0], scale = largest[1];
  if (gossip.comm().rank() == 0)
    std::printf("custom model: inner residual %.1e, HGP vs exact hyper-gradient: %.2e\n",
                report.gradient_norm, diff / scale);
  return diff / scale < 1e-8 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  const int code = run();
  MPI_Finalize();
  return code;
}
