// The hot kernels (src/model/row_kernels.hpp) against scalar loops that add in the documented
// order: equal bit for bit, whichever clone the CPU running the test gets (this file, like the
// kernels', is compiled without fused multiply-adds). That is what makes a result's bits the same
// on every x86-64.
#include "model/row_kernels.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace hyperpush::model::detail::kernels {
namespace {

std::vector<double> normal_numbers(std::size_t count, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> normal;
  std::vector<double> v(count);
  for (double& x : v) x = normal(gen);
  return v;
}

// Eight partial sums (i mod 8), added pairwise, then the last q mod 8 terms in order.
double reference_dot(const double* row, int q, const double* x) {
  double acc[8] = {};
  const int whole = q - q % 8;
  for (int i = 0; i < whole; ++i) acc[i % 8] += row[i] * x[i];
  double sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
  for (int i = whole; i < q; ++i) sum += row[i] * x[i];
  return sum;
}

struct Shape {
  int rows, q;
};

class RowKernels : public ::testing::TestWithParam<Shape> {};

TEST_P(RowKernels, DotsAddInTheDocumentedOrder) {
  const auto [rows, q] = GetParam();
  const long stride = q + 3;  // rows of a larger matrix
  const auto a = normal_numbers(rows * stride, 1), x = normal_numbers(q, 2);
  std::vector<double> out(rows);
  row_dots(a.data(), stride, rows, q, x.data(), out.data());
  for (int j = 0; j < rows; ++j) {
    EXPECT_EQ(out[j], reference_dot(a.data() + j * stride, q, x.data())) << "row " << j;
    long double exact = 0;
    for (int i = 0; i < q; ++i) exact += static_cast<long double>(a[j * stride + i]) * x[i];
    EXPECT_NEAR(out[j], static_cast<double>(exact), 1e-13 * q);
  }
}

TEST_P(RowKernels, TransposedProductAddsRowsInOrder) {
  const auto [rows, q] = GetParam();
  const long stride = q + 3;
  const auto a = normal_numbers(rows * stride, 3), r = normal_numbers(rows, 4);
  std::vector<double> out = normal_numbers(q, 5), expected = out;
  add_transposed(a.data(), stride, rows, q, r.data(), out.data());
  for (int i = 0; i < q; ++i) {
    for (int j = 0; j < rows; ++j) expected[i] += r[j] * a[j * stride + i];
    EXPECT_EQ(out[i], expected[i]) << "column " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, RowKernels,
                         ::testing::Values(Shape{1, 1}, Shape{3, 7}, Shape{16, 8}, Shape{5, 9},
                                           Shape{16, 31}, Shape{16, 33}, Shape{16, 101},
                                           Shape{4, 785}),
                         [](const auto& info) {
                           return std::to_string(info.param.rows) + "x" +
                                  std::to_string(info.param.q);
                         });

}  // namespace
}  // namespace hyperpush::model::detail::kernels
