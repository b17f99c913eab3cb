#pragma once
// The elementwise kernels of the cuda backend (linear_kernels.cu), behind plain C++ declarations so
// that cuda_problem.cpp (Eigen, cuBLAS) is compiled by the host compiler and nvcc sees no Eigen.
// All pointers are device pointers; every launch is on the default stream and returns at once
// (errors surface at the next synchronizing call, which cuda_problem.cpp checks).
namespace hyperpush::model::cuda_detail {

enum class BinaryLoss { logistic, ridge };

// Per sample k < m, at logit z_k (linear_math.hpp): loss_k = ℓ, slope_k = ℓ', curvature_k = ℓ'',
// correct_k = 1 when the predicted class (z_k > 0) equals labels_k, else 0.
void launch_binary_terms(BinaryLoss loss, int m, const double* z, const int* labels,
                         double* loss_out, double* slope_out, double* curvature_out,
                         double* correct_out);

// t_k ← curvature_k · t_k: the HVP's sample weights ℓ''(z_k) applied to (A w)_k.
void launch_scale(int m, const double* curvature, double* t);

}  // namespace hyperpush::model::cuda_detail
