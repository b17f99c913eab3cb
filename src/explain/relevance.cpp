#include "hyperpush/explain/relevance.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "hyperpush/data/split.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/explain/gradient_projection.hpp"
#include "hyperpush/model/conjugate_gradient.hpp"

namespace hyperpush::explain {
namespace {

using Representation = model::Classifier::Representation;

// The samples H averages over: the first n of shuffled_indices(N, seed, 103), in training order.
Samples hessian_subset(const Samples& train, int n, std::uint64_t seed) {
  const auto rows = static_cast<std::size_t>(train.x.rows());
  if (n <= 0 || static_cast<std::size_t>(n) >= rows) return train;
  auto order = data::shuffled_indices(rows, seed, 103);
  order.resize(static_cast<std::size_t>(n));
  std::sort(order.begin(), order.end());
  Samples out;
  out.classes = train.classes;
  out.x.resize(n, train.x.cols());
  out.y.resize(n);
  for (int i = 0; i < n; ++i) {
    out.x.row(i) = train.x.row(static_cast<Eigen::Index>(order[i]));
    out.y(i) = train.y(static_cast<Eigen::Index>(order[i]));
  }
  return out;
}

Representation representation_of(Metric metric) {
  return metric == Metric::last_l2 || metric == Metric::last_cos || metric == Metric::last_dot
             ? Representation::last
             : Representation::all;
}

std::string real(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

}  // namespace

Relevance::Relevance(Metric metric, const model::Classifier& model, const Samples& train,
                     const RelevanceOptions& options)
    : metric_(metric), model_(&model) {
  if (uses_hidden_layers(metric)) {
    const Representation representation = representation_of(metric);
    train_ = model.hidden(train.x, representation);
    if (train_.cols() == 0)
      throw Error("explain: metric '" + metric_name(metric) +
                  "' needs a model with hidden layers; this model has none");
    variant_ = (representation == Representation::last ? "last hidden layer (width "
                                                       : "all hidden layers (width ") +
               std::to_string(train_.cols()) + ")";
    return;
  }
  if (!uses_gradients(metric)) {
    train_ = train.x;
    variant_ = "raw inputs";
    return;
  }
  const int p = model.params();
  if (options.projection_dim > 0)
    projection_ = gradient_projection(options.projection_dim, p, options.seed);
  const Eigen::Index dim = options.projection_dim > 0 ? options.projection_dim : p;
  train_ = gradients(train.x, train.y);
  variant_ = options.projection_dim > 0 ? "gradients projected to k = " + std::to_string(dim) +
                                              " (P = " + std::to_string(p) + ")"
                                        : "full gradients (P = " + std::to_string(p) + ")";
  if (uses_curvature(metric)) set_up_curvature(train, options, dim);
}

void Relevance::set_up_curvature(const Samples& train, const RelevanceOptions& options,
                                 Eigen::Index dim) {
  const Metric metric = metric_;
  if (dim > options.dense_max_params && metric != Metric::if_)
    throw Error(
        "explain: metric '" + metric_name(metric) + "' factors a " + std::to_string(dim) + " x " +
        std::to_string(dim) +
        " matrix, above explain.dense_max_params = " + std::to_string(options.dense_max_params) +
        "; set explain.projection_dim to at most " + std::to_string(options.dense_max_params) +
        " to work in a projected gradient space, or raise explain.dense_max_params");
  if (!(options.damping > 0))
    throw Error("explain: metric '" + metric_name(metric) + "' needs explain.damping > 0");
  damping_ = options.damping;
  const bool subset = options.hessian_samples > 0 && options.hessian_samples < train.x.rows();
  const std::string on_samples = subset ? " on N = " + std::to_string(options.hessian_samples) +
                                              " of " + std::to_string(train.x.rows()) +
                                              " training samples"
                                        : "";
  if (dim <= options.dense_max_params) {
    dense_curvature(train, options, on_samples);
    return;
  }
  iterative_ = true;  // IF by CG
  hessian_samples_ = hessian_subset(train, options.hessian_samples, options.seed);
  cg_tolerance_ = options.cg_tolerance;
  cg_iterations_ = options.cg_iterations;
  variant_ += "; CG with HVPs on N = " + std::to_string(hessian_samples_.x.rows()) +
              " samples, tol " + real(cg_tolerance_) + ", at most " +
              std::to_string(cg_iterations_) + " iterations: (" +
              (projection_.size() > 0 ? "R H R^T" : "H") + " + delta I) v = g(z) per query";
}

void Relevance::dense_curvature(const Samples& train, const RelevanceOptions& options,
                                const std::string& on_samples) {
  const Metric metric = metric_;
  const model::Classifier& model = *model_;
  Eigen::MatrixXd m;
  if (metric == Metric::fk) {
    // F̃ = (1/N) GᵀG + δ I
    m = train_.transpose() * train_ / static_cast<double>(train_.rows());
    variant_ += "; dense damped empirical Fisher (1/N) sum g g^T + delta I, Cholesky";
  } else {
    // H̃ = H + δ I (or R H Rᵀ + δ I)
    const Samples hs = hessian_subset(train, options.hessian_samples, options.seed);
    m = projection_.size() > 0 ? model.projected_mean_loss_hessian(hs.x, hs.y, projection_)
                               : model.mean_loss_hessian(hs.x, hs.y);
    variant_ +=
        projection_.size() > 0
            ? "; dense damped projected Hessian R H R^T + delta I" + on_samples + ", Cholesky"
            : "; dense damped Hessian H + delta I" + on_samples + ", Cholesky";
  }
  m.diagonal().array() += options.damping;
  curvature_.compute(m);
  if (curvature_.info() != Eigen::Success) {
    // Only a Hessian can fail (the Fisher is PSD): a network away from a minimum, or at random
    // parameters, has negative curvature. Say how much damping would do (one eigensolve).
    const double lowest = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(m, Eigen::EigenvaluesOnly)
                              .eigenvalues()
                              .minCoeff() -
                          options.damping;
    throw Error("explain: the damped matrix of metric '" + metric_name(metric) +
                "' is not positive definite: the smallest eigenvalue of the (projected) Hessian "
                "is " +
                real(lowest) + "; set explain.damping above " + real(-lowest) +
                ", or train closer to a minimum (explain.train_iterations)");
  }
  // rif: train rows L⁻¹ g_i
  if (metric == Metric::rif) train_ = curvature_.matrixL().solve(train_.transpose()).transpose();
}

Similarity Relevance::similarity() const {
  switch (metric_) {
    case Metric::x_l2:
    case Metric::last_l2:
    case Metric::all_l2:
      return Similarity::negative_l2;
    case Metric::x_cos:
    case Metric::last_cos:
    case Metric::all_cos:
    case Metric::rif:
    case Metric::grad_cos:
      return Similarity::cosine;
    default:
      return Similarity::dot;
  }
}

Eigen::MatrixXd Relevance::gradients(const Eigen::MatrixXd& x,
                                     const Eigen::VectorXi& labels) const {
  return projection_.size() > 0 ? model_->projected_loss_gradients(x, labels, projection_)
                                : model_->loss_gradients(x, labels);
}

void Relevance::damped_hessian_vector(const Eigen::VectorXd& v, Eigen::VectorXd& out) const {
  const Samples& s = hessian_samples_;
  if (projection_.size() > 0)
    out = projection_ * model_->mean_loss_hessian_vector(s.x, s.y, projection_.transpose() * v);
  else
    out = model_->mean_loss_hessian_vector(s.x, s.y, v);
  out += damping_ * v;
}

Eigen::MatrixXd Relevance::query_embedding(const Eigen::MatrixXd& x,
                                           const Eigen::VectorXi& labels) const {
  if (uses_hidden_layers(metric_)) return model_->hidden(x, representation_of(metric_));
  if (!uses_gradients(metric_)) return x;
  Eigen::MatrixXd g = gradients(x, labels);
  if (iterative_) {
    const auto apply = [this](const Eigen::VectorXd& v, Eigen::VectorXd& out) {
      damped_hessian_vector(v, out);
    };
    for (Eigen::Index q = 0; q < g.rows(); ++q) {
      model::CgResult r;
      try {
        r = model::conjugate_gradient(apply, g.row(q).transpose(), cg_tolerance_, cg_iterations_);
      } catch (const Error& e) {  // H + δI indefinite
        throw Error(std::string(e.what()) + " (H + δI, δ = explain.damping = " + real(damping_) +
                    ": raise it)");
      }
      g.row(q) = r.v.transpose();
      ++cg_.solves;
      cg_.not_converged += r.converged ? 0 : 1;
      cg_.max_iterations = std::max(cg_.max_iterations, r.iterations);
      cg_.worst_relative_residual = std::max(cg_.worst_relative_residual, r.relative_residual);
    }
    return g;
  }
  switch (metric_) {
    case Metric::if_:
    case Metric::fk:
      return curvature_.solve(g.transpose()).transpose();
    case Metric::rif:
      return curvature_.matrixL().solve(g.transpose()).transpose();
    default:
      return g;
  }
}

}  // namespace hyperpush::explain
