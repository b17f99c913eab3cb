// Plain loops that GCC vectorizes per clone: no Eigen here, since Eigen's templates instantiated
// with other instruction sets in one program would break the one-definition rule.
#include "row_kernels.hpp"

#include "hyperpush/kernel_clones.hpp"

namespace hyperpush::model::detail::kernels {

HYPERPUSH_KERNEL_CLONES
void row_dots(const double* a, long stride, int rows, int q, const double* x, double* out) {
  constexpr int kLanes = 8;
  const int whole = q - q % kLanes;
  for (int j = 0; j < rows; ++j) {
    const double* row = a + j * stride;
    double acc[kLanes] = {};
    for (int i = 0; i < whole; i += kLanes)
      for (int l = 0; l < kLanes; ++l) acc[l] += row[i + l] * x[i + l];
    double sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (int i = whole; i < q; ++i) sum += row[i] * x[i];
    out[j] = sum;
  }
}

HYPERPUSH_KERNEL_CLONES
void add_transposed(const double* a, long stride, int rows, int q, const double* r, double* out) {
  // Columns in chunks of 32 held in registers across the rows; each element's sum is in row order.
  constexpr int kChunk = 32;
  int i0 = 0;
  for (; i0 + kChunk <= q; i0 += kChunk) {
    double acc[kChunk];
    for (int l = 0; l < kChunk; ++l) acc[l] = out[i0 + l];
    for (int j = 0; j < rows; ++j) {
      const double* row = a + j * stride + i0;
      const double rj = r[j];
      for (int l = 0; l < kChunk; ++l) acc[l] += rj * row[l];
    }
    for (int l = 0; l < kChunk; ++l) out[i0 + l] = acc[l];
  }
  for (int j = 0; j < rows; ++j) {
    const double* row = a + j * stride;
    const double rj = r[j];
    for (int i = i0; i < q; ++i) out[i] += rj * row[i];
  }
}

}  // namespace hyperpush::model::detail::kernels
