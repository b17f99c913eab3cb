#include "hyperpush/explain/softmax_training.hpp"

#include <cmath>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "hyperpush/error.hpp"
#include "hyperpush/model/linear_problem.hpp"

namespace hyperpush::explain {

InnerFit train_inner(const model::LocalProblem& problem, const Eigen::VectorXd& lambda,
                     const Eigen::VectorXd& start, const InnerTraining& options) {
  const int d = problem.dim();
  if (start.size() != d)
    throw Error("explain training: start of " + std::to_string(start.size()) +
                " entries for a model of " + std::to_string(d));
  Eigen::VectorXd x = start, g(d), x_next(d), g_next(d);
  double f = problem.inner_loss(x, lambda);
  problem.inner_gradient(x, lambda, g);
  std::deque<Eigen::VectorXd> s_hist, y_hist;
  std::deque<double> rho_hist;
  int it = 0;
  for (; it < options.max_iterations && g.norm() > options.tolerance; ++it) {
    // Two-loop recursion: direction = −H_k ∇f (Nocedal & Wright, Algorithm 7.4).
    Eigen::VectorXd q = g;
    std::vector<double> alpha(s_hist.size());
    for (int i = static_cast<int>(s_hist.size()) - 1; i >= 0; --i) {
      alpha[i] = rho_hist[i] * s_hist[i].dot(q);
      q -= alpha[i] * y_hist[i];
    }
    const double gamma = s_hist.empty()
                             ? 1.0 / g.norm()
                             : s_hist.back().dot(y_hist.back()) / y_hist.back().squaredNorm();
    Eigen::VectorXd r = gamma * q;
    for (std::size_t i = 0; i < s_hist.size(); ++i) {
      const double beta = rho_hist[i] * y_hist[i].dot(r);
      r += (alpha[i] - beta) * s_hist[i];
    }
    Eigen::VectorXd dir = -r;
    double slope = g.dot(dir);
    if (slope >= 0) {  // not a descent direction: restart from steepest descent
      s_hist.clear(), y_hist.clear(), rho_hist.clear();
      dir = -g / g.norm();
      slope = g.dot(dir);
    }
    // Armijo: f(x + t d) ≤ f(x) + 1e-4 t ∇fᵀd, halving t.
    double t = 1.0, f_next = 0;
    for (int backtrack = 0; backtrack < 60; ++backtrack, t *= 0.5) {
      x_next = x + t * dir;
      f_next = problem.inner_loss(x_next, lambda);
      if (f_next <= f + 1e-4 * t * slope) break;
    }
    problem.inner_gradient(x_next, lambda, g_next);
    Eigen::VectorXd s = x_next - x, y = g_next - g;
    const double sy = s.dot(y);
    if (sy > 1e-12 * s.norm() * y.norm()) {
      s_hist.push_back(std::move(s));
      y_hist.push_back(std::move(y));
      rho_hist.push_back(1.0 / sy);
      if (s_hist.size() > 10) s_hist.pop_front(), y_hist.pop_front(), rho_hist.pop_front();
    }
    x = x_next;
    g = g_next;
    if (f - f_next <= 0 && t < 1e-15) break;  // no progress possible at double precision
    f = f_next;
  }
  InnerFit fit;
  fit.iterations = it;
  fit.loss = problem.inner_loss(x, lambda);
  fit.gradient_norm = g.norm();
  fit.x = std::move(x);
  return fit;
}

SoftmaxFit train_softmax(const Samples& train, const SoftmaxTraining& options) {
  model::LinearSpec spec;
  spec.kind = model::LinearKind::softmax;
  spec.hyper = model::HyperKind::l2;
  spec.classes = train.classes;
  spec.l2 = options.l2;
  const auto problem = model::make_linear_problem(spec, {train.x, train.y}, {}, {});
  // e^λ = e^{-1000} = 0: the fixed ridge term alone regularises.
  const Eigen::VectorXd lambda = Eigen::VectorXd::Constant(1, -1000.0);
  const int d = problem->dim();
  InnerTraining inner;
  inner.max_iterations = options.max_iterations;
  inner.tolerance = options.tolerance;
  const InnerFit x = train_inner(*problem, lambda, Eigen::VectorXd::Zero(d), inner);
  SoftmaxFit fit;
  fit.model.weights = Eigen::Map<const Matrix>(x.x.data(), d / train.classes, train.classes);
  fit.iterations = x.iterations;
  fit.loss = x.loss;
  fit.gradient_norm = x.gradient_norm;
  return fit;
}

}  // namespace hyperpush::explain
