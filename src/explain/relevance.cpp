#include "hyperpush/explain/relevance.hpp"

#include <Eigen/Cholesky>
#include <string>

#include "hyperpush/error.hpp"
#include "hyperpush/explain/gradient_projection.hpp"

namespace hyperpush::explain {

Relevance::Relevance(Metric metric, const SoftmaxModel& model, const Samples& train,
                     const RelevanceOptions& options)
    : metric_(metric), model_(model) {
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
  if (!uses_curvature(metric)) return;

  if (dim > options.dense_max_params)
    throw Error("explain: metric '" + metric_name(metric) + "' factors a " + std::to_string(dim) +
                " x " + std::to_string(dim) + " matrix, above explain.dense_max_params = " +
                std::to_string(options.dense_max_params) +
                "; set explain.projection_dim (e.g. 1024) to work in a projected gradient space, "
                "or raise explain.dense_max_params");
  if (!(options.damping > 0))
    throw Error("explain: metric '" + metric_name(metric) + "' needs explain.damping > 0");
  Eigen::MatrixXd m;
  if (metric == Metric::fk) {
    // F̃ = (1/N) GᵀG + δ I
    m = train_.transpose() * train_ / static_cast<double>(train_.rows());
    variant_ += "; dense damped empirical Fisher (1/N) sum g g^T + delta I, Cholesky";
  } else {
    // H̃ = H + δ I (or R H Rᵀ + δ I)
    m = projection_.size() > 0 ? model.projected_mean_loss_hessian(train.x, projection_)
                               : model.mean_loss_hessian(train.x);
    variant_ += projection_.size() > 0 ? "; dense damped projected Hessian R H R^T + delta I, "
                                         "Cholesky"
                                       : "; dense damped Hessian H + delta I, Cholesky";
  }
  m.diagonal().array() += options.damping;
  curvature_.compute(m);
  if (curvature_.info() != Eigen::Success)
    throw Error("explain: the damped matrix of metric '" + metric_name(metric) +
                "' is not positive definite; raise explain.damping");
  // rif: train rows L⁻¹ g_i
  if (metric == Metric::rif) train_ = curvature_.matrixL().solve(train_.transpose()).transpose();
}

Similarity Relevance::similarity() const {
  switch (metric_) {
    case Metric::x_l2:
      return Similarity::negative_l2;
    case Metric::x_cos:
    case Metric::rif:
    case Metric::grad_cos:
      return Similarity::cosine;
    default:
      return Similarity::dot;
  }
}

Eigen::MatrixXd Relevance::gradients(const Eigen::MatrixXd& x,
                                     const Eigen::VectorXi& labels) const {
  return projection_.size() > 0 ? model_.projected_loss_gradients(x, labels, projection_)
                                : model_.loss_gradients(x, labels);
}

Eigen::MatrixXd Relevance::query_embedding(const Eigen::MatrixXd& x,
                                           const Eigen::VectorXi& labels) const {
  if (!uses_gradients(metric_)) return x;
  Eigen::MatrixXd g = gradients(x, labels);
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
