#pragma once
// The per-sample math of the linear models (linear_problem.hpp), one definition for the host (the
// Eigen reference's logistic and ridge losses) and the CUDA kernels (backend `cuda`, src/cuda/):
// HYPERPUSH_HOST_DEVICE is __host__ __device__ under nvcc and nothing otherwise, so CPU unit tests
// check the same arithmetic the GPU runs.
//
// Logistic: ℓ(z, y) = log(1 + e^z) − y z, ℓ' = σ(z) − y, ℓ'' = σ(z) σ(−z).
// Ridge (least-squares classifier): ℓ(z, y) = ½ (z − t)², ℓ' = z − t, ℓ'' = 1, t = 2y − 1.
// Everything is written with e = e^{−|z|} ∈ (0, 1], so nothing overflows for any finite z.
//
// Softmax (C classes), one sample with logits z ∈ R^C, p = softmax(z), one-hot label e_y:
//   ℓ = logsumexp(z) − z_y,   ∇_z ℓ = p − e_y,   ∇²_z ℓ u = (diag p − p pᵀ) u = p ⊙ (u − pᵀu).
// A sample's C values are entries c · stride of an array (a row of a column-major m × C matrix,
// stride m), as the GPU keeps Z = A X; the operations are the Eigen reference's
// (src/model/softmax_loss.cpp), in the same order. Per-class logit offsets b ∈ R^C (the per-class
// hyperparameter kind) make the logits z + b in the loss and its derivatives.
#include <cmath>
#include <cstddef>

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

// with_loss = false leaves ℓ at 0: the gradient and the Hessian need no logarithm.
HYPERPUSH_HOST_DEVICE inline SampleTerms logistic_terms(double z, int label,
                                                        bool with_loss = true) {
  const double e = exp(-fabs(z));
  const double y = label;
  const double sigma = z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  return {with_loss ? fmax(z, 0.0) + log1p(e) - y * z : 0.0, sigma - y,
          e / ((1.0 + e) * (1.0 + e))};
}

// z − t, t = 2y − 1 ∈ {−1, +1}.
HYPERPUSH_HOST_DEVICE inline double ridge_residual(double z, int label) {
  return z - (2.0 * label - 1.0);
}

HYPERPUSH_HOST_DEVICE inline SampleTerms ridge_terms(double z, int label, bool with_loss = true) {
  const double r = ridge_residual(z, label);
  return {with_loss ? 0.5 * r * r : 0.0, r, 1.0};
}

// The predicted class of a binary linear model: 1 when z > 0.
HYPERPUSH_HOST_DEVICE inline int binary_prediction(double z) { return z > 0 ? 1 : 0; }

// Logit c of a sample: z_c, plus b_c when there are per-class offsets b (else offset is null).
HYPERPUSH_HOST_DEVICE inline double offset_logit(const double* z, std::ptrdiff_t stride,
                                                 const double* offset, int c) {
  return offset && offset[c] != 0 ? z[c * stride] + offset[c] : z[c * stride];
}

// p = softmax(z + b) (written to p[c · stride]) and returns ℓ = logsumexp(z + b) − (z + b)_y, b the
// per-class logit offsets (offset null: none). The largest logit is subtracted first: every
// exponent is ≤ 0 and their sum is ≥ 1, so nothing overflows.
HYPERPUSH_HOST_DEVICE inline double softmax_terms(int classes, const double* z,
                                                  std::ptrdiff_t stride, const double* offset,
                                                  int label, double* p) {
  double top = offset_logit(z, stride, offset, 0);
  for (int c = 1; c < classes; ++c) top = fmax(top, offset_logit(z, stride, offset, c));
  double total = 0;
  for (int c = 0; c < classes; ++c) {
    p[c * stride] = exp(offset_logit(z, stride, offset, c) - top);
    total += p[c * stride];
  }
  for (int c = 0; c < classes; ++c) p[c * stride] /= total;
  return top + log(total) - offset_logit(z, stride, offset, label);
}

// The predicted class: the first largest logit of z + b (offset null: of z).
HYPERPUSH_HOST_DEVICE inline int softmax_prediction(int classes, const double* z,
                                                    std::ptrdiff_t stride, const double* offset) {
  int best = 0;
  double top = offset_logit(z, stride, offset, 0);
  for (int c = 1; c < classes; ++c) {
    const double logit = offset_logit(z, stride, offset, c);
    if (logit > top) best = c, top = logit;
  }
  return best;
}

// The gradient's residual row r = s (p − e_y), s the sample's weight.
HYPERPUSH_HOST_DEVICE inline void softmax_residual(int classes, const double* p,
                                                   std::ptrdiff_t stride, int label, double s,
                                                   double* r) {
  for (int c = 0; c < classes; ++c) r[c * stride] = (p[c * stride] - (c == label ? 1.0 : 0.0)) * s;
}

// The HVP's row r = s (diag p − p pᵀ) u = s p ⊙ (u − pᵀu), u the sample's row of A W; r may be u.
HYPERPUSH_HOST_DEVICE inline void softmax_hvp_row(int classes, const double* p, const double* u,
                                                  std::ptrdiff_t stride, double s, double* r) {
  double dot = 0;  // pᵀu
  for (int c = 0; c < classes; ++c) dot += p[c * stride] * u[c * stride];
  for (int c = 0; c < classes; ++c) r[c * stride] = (u[c * stride] - dot) * p[c * stride] * s;
}

// ∇ℓ_kᵀ w = (p − e_y)ᵀ u = pᵀu − u_y, u the sample's row of A W (the mixed derivative of
// per-sample weights).
HYPERPUSH_HOST_DEVICE inline double softmax_gradient_dot(int classes, const double* p,
                                                         const double* u, std::ptrdiff_t stride,
                                                         int label) {
  double dot = 0;
  for (int c = 0; c < classes; ++c) dot += p[c * stride] * u[c * stride];
  return dot - u[label * stride];
}

}  // namespace hyperpush::model::linear_math
