#pragma once
// The per-sample math of the binary linear models (linear_problem.hpp), one definition for the
// host and CUDA kernels (backend `cuda`, src/cuda/): HYPERPUSH_HOST_DEVICE is __host__ __device__
// under nvcc and nothing otherwise, so CPU unit tests check the same arithmetic the GPU runs.
//
// Logistic: ℓ(z, y) = log(1 + e^z) − y z, ℓ' = σ(z) − y, ℓ'' = σ(z) σ(−z).
// Ridge (least-squares classifier): ℓ(z, y) = ½ (z − t)², ℓ' = z − t, ℓ'' = 1, t = 2y − 1.
// Everything is written with e = e^{−|z|} ∈ (0, 1], so nothing overflows for any finite z.
#include <cmath>

#ifdef __CUDACC__
#define HYPERPUSH_HOST_DEVICE __host__ __device__
#else
#define HYPERPUSH_HOST_DEVICE
#endif

namespace hyperpush::model::linear_math {

// ℓ, ℓ' and ℓ'' of one sample at its logit z.
struct SampleTerms {
  double loss;
  double slope;
  double curvature;
};

// log(1 + e^z) = max(z, 0) + log1p(e^{−|z|}).
HYPERPUSH_HOST_DEVICE inline double softplus(double z) {
  return fmax(z, 0.0) + log1p(exp(-fabs(z)));
}

// σ(z) = 1/(1 + e) for z ≥ 0, e/(1 + e) for z < 0, e = e^{−|z|}.
HYPERPUSH_HOST_DEVICE inline double sigmoid(double z) {
  const double e = exp(-fabs(z));
  return z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

// The logistic Hessian weight σ(z)(1 − σ(z)) = σ(z) σ(−z) = e / (1 + e)².
HYPERPUSH_HOST_DEVICE inline double logistic_weight(double z) {
  const double e = exp(-fabs(z));
  return e / ((1.0 + e) * (1.0 + e));
}

HYPERPUSH_HOST_DEVICE inline SampleTerms logistic_terms(double z, int label) {
  const double e = exp(-fabs(z));
  const double y = label;
  const double sigma = z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  return {fmax(z, 0.0) + log1p(e) - y * z, sigma - y, e / ((1.0 + e) * (1.0 + e))};
}

// z − t, t = 2y − 1 ∈ {−1, +1}.
HYPERPUSH_HOST_DEVICE inline double ridge_residual(double z, int label) {
  return z - (2.0 * label - 1.0);
}

HYPERPUSH_HOST_DEVICE inline SampleTerms ridge_terms(double z, int label) {
  const double r = ridge_residual(z, label);
  return {0.5 * r * r, r, 1.0};
}

// The predicted class of a binary linear model: 1 when z > 0.
HYPERPUSH_HOST_DEVICE inline int binary_prediction(double z) { return z > 0 ? 1 : 0; }

}  // namespace hyperpush::model::linear_math
