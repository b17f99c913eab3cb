#pragma once
// The two products of a linear model's gradient and Hessian-vector product on a block of rows of
// its row-major design matrix: A_b x (a logit per row) and Aᵀ_b r. They are built for several
// instruction sets and the best one for the CPU is picked when the program starts (GCC's
// target_clones: AVX-512, AVX2, baseline x86-64), so the default build runs on any x86-64 and
// uses the wide registers where there are some. Every clone adds in the same order and none
// fuses a multiply with an add, so the bits do not depend on the CPU.
namespace hyperpush::model::detail::kernels {

// out[j] = Σ_i a[j·stride + i] x[i] for j < rows, i < q; the sum over i in eight interleaved
// partial sums (i mod 8), added pairwise, then the last q mod 8 terms in order.
void row_dots(const double* a, long stride, int rows, int q, const double* x, double* out);

// out[i] += Σ_j r[j] a[j·stride + i] for i < q, j = 0, 1, …, rows − 1 in that order.
void add_transposed(const double* a, long stride, int rows, int q, const double* r, double* out);

}  // namespace hyperpush::model::detail::kernels
