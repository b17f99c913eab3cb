#pragma once
// The per-sample kernels of the cuda backend (linear_kernels.cu), behind plain C++ declarations so
// that cuda_problem.cpp (Eigen, cuBLAS) is compiled by the host compiler and nvcc sees no Eigen.
// All pointers are device pointers; matrices of per-sample rows (m × C) are column-major with
// leading dimension m, as cuBLAS writes Z = A X. Every launch is on the default stream and returns
// at once (errors surface at the next synchronizing call, which cuda_problem.cpp checks). The math
// of one sample is linear_math.hpp's.
namespace hyperpush::model::cuda_detail {

enum class BinaryLoss { logistic, ridge };

// Per sample k < m, at logit z_k: loss_k = ℓ, slope_k = ℓ', curvature_k = ℓ'', predicted_k = the
// predicted class (z_k > 0), correct_k = 1 when it equals labels_k, else 0.
void launch_binary_terms(BinaryLoss loss, int m, const double* z, const int* labels,
                         double* loss_out, double* slope_out, double* curvature_out,
                         int* predicted_out, double* correct_out);

// Per sample k < m, at logits Z_k· + b (Z m × classes, b the per-class offsets, offset null:
// none): P_k· = softmax(Z_k· + b), loss_k = ℓ; predicted_k = the first largest entry of Z_k· (the
// shared model alone), correct_k = 1 when it equals labels_k, else 0.
void launch_softmax_terms(int m, int classes, const double* z, const double* offset,
                          const int* labels, double* p, double* loss_out, int* predicted_out,
                          double* correct_out);

// The gradient's residual, ∇L = Aᵀ r: r_k = s_k ℓ'_k (binary), R_k· = s_k (P_k· − e_{y_k})
// (softmax; m × classes). s: the sample weights (1/m, or λ_k/m for per-sample weights).
void launch_binary_residual(int m, const double* s, const double* slope, double* r);
void launch_softmax_residual(int m, int classes, const double* s, const double* p,
                             const int* labels, double* r);

// The HVP's weights, applied in place to U = A W so that ∇²L w = Aᵀ U afterwards:
// u_k ← s_k ℓ''_k u_k (binary), U_k· ← s_k P_k· ⊙ (U_k· − P_k·ᵀ U_k·) (softmax; m × classes).
void launch_binary_hvp_weights(int m, const double* s, const double* curvature, double* u);
void launch_softmax_hvp_weights(int m, int classes, const double* s, const double* p, double* u);

// The per-sample gradient dots out_k = ∇ℓ_kᵀ w (the mixed derivative of sample weights, divided by
// m on the host), from U = A W: ℓ'_k u_k (binary), P_k·ᵀ U_k· − U_{k,y_k} (softmax; m × classes).
void launch_binary_gradient_dots(int m, const double* slope, const double* u, double* out);
void launch_softmax_gradient_dots(int m, int classes, const double* p, const int* labels,
                                  const double* u, double* out);

}  // namespace hyperpush::model::cuda_detail
