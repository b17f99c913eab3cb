#pragma once
// One relevance metric of a trained softmax model, written as an inner product of embeddings so
// every metric is scored by SimilarityIndex's one GEMM (specs/explain.md, "Metrics"):
//   x_l2, x_cos, x_dot   train e_i = x_i,          query = x                  l2 / cosine / dot
//   grad_dot, grad_cos   train e_i = g_i,          query = g(z)               dot / cosine
//   if                   train e_i = g_i,          query = H̃⁻¹ g(z)           dot
//   rif                  train e_i = L⁻¹ g_i,      query = L⁻¹ g(z)           cosine
//                        (L Lᵀ = H̃: (L⁻¹a)·(L⁻¹b) = aᵀH̃⁻¹b, so this is cos(H̃^{-1/2}a, H̃^{-1/2}b))
//   fk                   train e_i = g_i,          query = F̃⁻¹ g(z)           dot
// with H̃ = H + δ I (H: Hessian of the mean training cross-entropy) and F̃ = (1/N) Σ g_i g_iᵀ + δ I
// (the textbook empirical Fisher, not the authors' rank-1 mean-gradient variant). Training
// gradients are taken at the true labels, query gradients at the labels the caller passes (the
// model's predictions in the tests).
//
// IF/RIF/FK form the damped D × D matrix and factor it once (Cholesky): D = P parameters, or k with
// a projection (gradients R g, Hessian R H Rᵀ, Fisher from projected gradients). Beyond
// `dense_max_params` they refuse and ask for a projection; CG with Hessian-vector products is not
// implemented. variant() says which was used.
#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <cstdint>
#include <string>

#include "hyperpush/explain/metric.hpp"
#include "hyperpush/explain/samples.hpp"
#include "hyperpush/explain/similarity_index.hpp"
#include "hyperpush/explain/softmax_model.hpp"

namespace hyperpush::explain {

struct RelevanceOptions {
  double damping = 0.01;        // δ of IF / RIF / FK, > 0
  int projection_dim = 0;       // k; 0 = full gradients
  std::uint64_t seed = 0;       // of the projection
  int dense_max_params = 4096;  // largest D whose D × D matrix IF / RIF / FK factor
};

class Relevance {
 public:
  // Throws hyperpush::Error when IF / RIF / FK would need a matrix above dense_max_params, or on a
  // damping ≤ 0 for them.
  Relevance(Metric metric, const SoftmaxModel& model, const Samples& train,
            const RelevanceOptions& options);

  Metric metric() const { return metric_; }
  Similarity similarity() const;
  const Eigen::MatrixXd& train_embedding() const { return train_; }
  Eigen::MatrixXd query_embedding(const Eigen::MatrixXd& x, const Eigen::VectorXi& labels) const;
  SimilarityIndex index() const { return SimilarityIndex(train_, similarity()); }
  // How the metric was computed, e.g. "gradients (P = 650); dense damped Hessian, Cholesky".
  const std::string& variant() const { return variant_; }

 private:
  Eigen::MatrixXd gradients(const Eigen::MatrixXd& x, const Eigen::VectorXi& labels) const;

  Metric metric_;
  SoftmaxModel model_;
  Eigen::MatrixXd projection_;  // k × P, empty without projection
  Eigen::LLT<Eigen::MatrixXd> curvature_;
  Eigen::MatrixXd train_;
  std::string variant_;
};

}  // namespace hyperpush::explain
