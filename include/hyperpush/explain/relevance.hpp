#pragma once
// One relevance metric of a trained classifier (model/classifier.hpp: the closed-form softmax
// regression or a torch network), written as an inner product of embeddings so every metric is
// scored by SimilarityIndex's one GEMM (specs/explain.md, "Metrics"):
//   x_l2, x_cos, x_dot   train e_i = x_i,          query = x                  l2 / cosine / dot
//   last_*, all_*        train e_i = φ(x_i),       query = φ(x)               l2 / cosine / dot
//                        (φ = Classifier::hidden: last hidden layer, or all concatenated)
//   grad_dot, grad_cos   train e_i = g_i,          query = g(z)               dot / cosine
//   if                   train e_i = g_i,          query = H̃⁻¹ g(z)           dot
//   rif                  train e_i = L⁻¹ g_i,      query = L⁻¹ g(z)           cosine
//                        (L Lᵀ = H̃: (L⁻¹a)·(L⁻¹b) = aᵀH̃⁻¹b, so this is cos(H̃^{-1/2}a, H̃^{-1/2}b))
//   fk                   train e_i = g_i,          query = F̃⁻¹ g(z)           dot
// with H̃ = H + δ I (H: Hessian of the mean training loss, without the training regularizer) and
// F̃ = (1/N) Σ g_i g_iᵀ + δ I (the textbook empirical Fisher, not the authors' rank-1
// mean-gradient variant). Training gradients are taken at the true labels, query gradients at the
// labels the caller passes (the model's predictions in the tests).
//
// Curvature, for D = P parameters, or D = k with a projection R (gradients R g, Hessian R H Rᵀ,
// Fisher from projected gradients):
//   D ≤ dense_max_params   IF / RIF / FK form the damped D × D matrix and factor it once
//                          (Cholesky). H is closed form for the softmax regression, else built
//                          from D Hessian-vector products (H e_j, or H Rᵀ e_j).
//   D > dense_max_params   IF solves H̃ v = g(z) per query by conjugate gradient
//                          (model/conjugate_gradient.hpp) with Hessian-vector products, to a
//                          relative residual cg_tolerance in at most cg_iterations products;
//                          cost per query: ≤ cg_iterations HVPs over the Hessian's samples.
//                          RIF and FK need a transformed vector per *training* instance and
//                          refuse: they ask for a projection.
// H is the mean over the first hessian_samples rows of shuffled_indices(N, seed, 103)
// (data/split.hpp), kept in training-set order; 0 (or ≥ N) = every training sample.
// variant() says which was used, cg_stats() how the CG solves went.
#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <cstdint>
#include <string>

#include "hyperpush/explain/metric.hpp"
#include "hyperpush/explain/samples.hpp"
#include "hyperpush/explain/similarity_index.hpp"
#include "hyperpush/model/classifier.hpp"

namespace hyperpush::explain {

struct RelevanceOptions {
  double damping = 0.01;        // δ of IF / RIF / FK, > 0
  int projection_dim = 0;       // k; 0 = full gradients
  std::uint64_t seed = 0;       // of the projection and of the Hessian's sample subset
  int dense_max_params = 4096;  // largest D whose D × D matrix IF / RIF / FK factor
  int hessian_samples = 0;      // training samples H averages over; 0 = all
  double cg_tolerance = 1e-6;   // CG: stop at ‖r‖ ≤ tolerance · ‖g(z)‖
  int cg_iterations = 200;      // CG: Hessian-vector products per query at most
};

// How the conjugate-gradient solves of a Relevance went (all zero without CG).
struct CgStats {
  std::int64_t solves = 0, not_converged = 0;
  int max_iterations = 0;              // the most products one solve took
  double worst_relative_residual = 0;  // the largest ‖r‖ / ‖b‖ at the end of a solve
};

class Relevance {
 public:
  // `model` must outlive the Relevance. Throws hyperpush::Error when RIF / FK would need a matrix
  // above dense_max_params, on a damping ≤ 0 for IF / RIF / FK, and for last_* / all_* on a model
  // without hidden layers.
  Relevance(Metric metric, const model::Classifier& model, const Samples& train,
            const RelevanceOptions& options);

  Metric metric() const { return metric_; }
  Similarity similarity() const;
  const Eigen::MatrixXd& train_embedding() const { return train_; }
  Eigen::MatrixXd query_embedding(const Eigen::MatrixXd& x, const Eigen::VectorXi& labels) const;
  SimilarityIndex index() const { return SimilarityIndex(train_, similarity()); }
  // How the metric was computed, e.g. "full gradients (P = 650); dense damped Hessian H + delta
  // I, Cholesky".
  const std::string& variant() const { return variant_; }
  const CgStats& cg_stats() const { return cg_; }

 private:
  Eigen::MatrixXd gradients(const Eigen::MatrixXd& x, const Eigen::VectorXi& labels) const;
  // The curvature of IF, RIF, FK (gradient space of dimension `dim`): CG settings, or the damped
  // dense matrix factored (dense_curvature).
  void set_up_curvature(const Samples& train, const RelevanceOptions& options, Eigen::Index dim);
  void dense_curvature(const Samples& train, const RelevanceOptions& options,
                       const std::string& on_samples);
  // H̃ v = H v + δ v, or R H Rᵀ v + δ v with a projection (two more products with R).
  void damped_hessian_vector(const Eigen::VectorXd& v, Eigen::VectorXd& out) const;

  Metric metric_;
  const model::Classifier* model_;
  Eigen::MatrixXd projection_;  // k × P, empty without projection
  Eigen::LLT<Eigen::MatrixXd> curvature_;
  bool iterative_ = false;   // IF by CG
  Samples hessian_samples_;  // CG: the samples H averages over
  double damping_ = 0, cg_tolerance_ = 0;
  int cg_iterations_ = 0;
  mutable CgStats cg_;
  Eigen::MatrixXd train_;
  std::string variant_;
};

}  // namespace hyperpush::explain
