// Elementwise kernels of the cuda backend; the math is linear_math.hpp's, shared with the CPU
// tests.
#include "hyperpush/model/linear_math.hpp"
#include "linear_kernels.hpp"

namespace hyperpush::model::cuda_detail {
namespace {

constexpr int kThreads = 256;

int blocks(int m) { return (m + kThreads - 1) / kThreads; }

__global__ void binary_terms(BinaryLoss loss, int m, const double* __restrict__ z,
                             const int* __restrict__ labels, double* __restrict__ loss_out,
                             double* __restrict__ slope_out, double* __restrict__ curvature_out,
                             double* __restrict__ correct_out) {
  const int k = blockIdx.x * blockDim.x + threadIdx.x;
  if (k >= m) return;
  const double zk = z[k];
  const int y = labels[k];
  const linear_math::SampleTerms t = loss == BinaryLoss::logistic
                                         ? linear_math::logistic_terms(zk, y)
                                         : linear_math::ridge_terms(zk, y);
  loss_out[k] = t.loss;
  slope_out[k] = t.slope;
  curvature_out[k] = t.curvature;
  correct_out[k] = linear_math::binary_prediction(zk) == y ? 1.0 : 0.0;
}

__global__ void scale(int m, const double* __restrict__ curvature, double* __restrict__ t) {
  const int k = blockIdx.x * blockDim.x + threadIdx.x;
  if (k < m) t[k] *= curvature[k];  // w_k = ℓ''(z_k) (A w)_k
}

}  // namespace

void launch_binary_terms(BinaryLoss loss, int m, const double* z, const int* labels,
                         double* loss_out, double* slope_out, double* curvature_out,
                         double* correct_out) {
  if (m == 0) return;
  binary_terms<<<blocks(m), kThreads>>>(loss, m, z, labels, loss_out, slope_out, curvature_out,
                                        correct_out);
}

void launch_scale(int m, const double* curvature, double* t) {
  if (m == 0) return;
  scale<<<blocks(m), kThreads>>>(m, curvature, t);
}

}  // namespace hyperpush::model::cuda_detail
