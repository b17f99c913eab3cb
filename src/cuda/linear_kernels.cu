// Per-sample kernels of the cuda backend, one thread per sample; the math is linear_math.hpp's,
// shared with the CPU tests.
#include <cstddef>

#include "hyperpush/model/linear_math.hpp"
#include "linear_kernels.hpp"

namespace hyperpush::model::cuda_detail {
namespace {

namespace lm = linear_math;

constexpr int kThreads = 256;

int blocks(int m) { return (m + kThreads - 1) / kThreads; }

__device__ int sample_index() { return blockIdx.x * blockDim.x + threadIdx.x; }

__global__ void binary_terms(BinaryLoss loss, int m, const double* __restrict__ z,
                             const int* __restrict__ labels, double* __restrict__ loss_out,
                             double* __restrict__ slope_out, double* __restrict__ curvature_out,
                             int* __restrict__ predicted_out, double* __restrict__ correct_out) {
  const int k = sample_index();
  if (k >= m) return;
  const double zk = z[k];
  const int y = labels[k];
  const lm::SampleTerms t =
      loss == BinaryLoss::logistic ? lm::logistic_terms(zk, y) : lm::ridge_terms(zk, y);
  loss_out[k] = t.loss;
  slope_out[k] = t.slope;
  curvature_out[k] = t.curvature;
  const int predicted = lm::binary_prediction(zk);
  predicted_out[k] = predicted;
  correct_out[k] = predicted == y ? 1.0 : 0.0;
}

// Sample k's row of an m × C column-major matrix starts at k and has stride m.
__global__ void softmax_terms(int m, int classes, const double* __restrict__ z,
                              const double* __restrict__ offset, const int* __restrict__ labels,
                              double* __restrict__ p, double* __restrict__ loss_out,
                              int* __restrict__ predicted_out, double* __restrict__ correct_out) {
  const int k = sample_index();
  if (k >= m) return;
  const int y = labels[k];
  loss_out[k] = lm::softmax_terms(classes, z + k, m, offset, y, p + k);
  const int predicted = lm::softmax_prediction(classes, z + k, m, offset);
  predicted_out[k] = predicted;
  correct_out[k] = predicted == y ? 1.0 : 0.0;
}

__global__ void binary_residual(int m, const double* __restrict__ s,
                                const double* __restrict__ slope, double* __restrict__ r) {
  const int k = sample_index();
  if (k < m) r[k] = s[k] * slope[k];
}

__global__ void softmax_residual(int m, int classes, const double* __restrict__ s,
                                 const double* __restrict__ p, const int* __restrict__ labels,
                                 double* __restrict__ r) {
  const int k = sample_index();
  if (k < m) lm::softmax_residual(classes, p + k, m, labels[k], s[k], r + k);
}

__global__ void binary_hvp_weights(int m, const double* __restrict__ s,
                                   const double* __restrict__ curvature, double* __restrict__ u) {
  const int k = sample_index();
  if (k < m) u[k] *= s[k] * curvature[k];
}

__global__ void softmax_hvp_weights(int m, int classes, const double* __restrict__ s,
                                    const double* __restrict__ p, double* u) {
  const int k = sample_index();
  if (k < m) lm::softmax_hvp_row(classes, p + k, u + k, m, s[k], u + k);
}

__global__ void binary_gradient_dots(int m, const double* __restrict__ slope,
                                     const double* __restrict__ u, double* __restrict__ out) {
  const int k = sample_index();
  if (k < m) out[k] = slope[k] * u[k];
}

__global__ void softmax_gradient_dots(int m, int classes, const double* __restrict__ p,
                                      const int* __restrict__ labels, const double* __restrict__ u,
                                      double* __restrict__ out) {
  const int k = sample_index();
  if (k < m) out[k] = lm::softmax_gradient_dot(classes, p + k, u + k, m, labels[k]);
}

}  // namespace

void launch_binary_terms(BinaryLoss loss, int m, const double* z, const int* labels,
                         double* loss_out, double* slope_out, double* curvature_out,
                         int* predicted_out, double* correct_out) {
  if (m == 0) return;
  binary_terms<<<blocks(m), kThreads>>>(loss, m, z, labels, loss_out, slope_out, curvature_out,
                                        predicted_out, correct_out);
}

void launch_softmax_terms(int m, int classes, const double* z, const double* offset,
                          const int* labels, double* p, double* loss_out, int* predicted_out,
                          double* correct_out) {
  if (m == 0) return;
  softmax_terms<<<blocks(m), kThreads>>>(m, classes, z, offset, labels, p, loss_out, predicted_out,
                                         correct_out);
}

void launch_binary_residual(int m, const double* s, const double* slope, double* r) {
  if (m == 0) return;
  binary_residual<<<blocks(m), kThreads>>>(m, s, slope, r);
}

void launch_softmax_residual(int m, int classes, const double* s, const double* p,
                             const int* labels, double* r) {
  if (m == 0) return;
  softmax_residual<<<blocks(m), kThreads>>>(m, classes, s, p, labels, r);
}

void launch_binary_hvp_weights(int m, const double* s, const double* curvature, double* u) {
  if (m == 0) return;
  binary_hvp_weights<<<blocks(m), kThreads>>>(m, s, curvature, u);
}

void launch_softmax_hvp_weights(int m, int classes, const double* s, const double* p, double* u) {
  if (m == 0) return;
  softmax_hvp_weights<<<blocks(m), kThreads>>>(m, classes, s, p, u);
}

void launch_binary_gradient_dots(int m, const double* slope, const double* u, double* out) {
  if (m == 0) return;
  binary_gradient_dots<<<blocks(m), kThreads>>>(m, slope, u, out);
}

void launch_softmax_gradient_dots(int m, int classes, const double* p, const int* labels,
                                  const double* u, double* out) {
  if (m == 0) return;
  softmax_gradient_dots<<<blocks(m), kThreads>>>(m, classes, p, labels, u, out);
}

}  // namespace hyperpush::model::cuda_detail
