#include "hgp_floor.hpp"

#include <algorithm>
#include <utility>

namespace hyperpush::bench {
namespace {

// A w for one row: 8 independent partial sums (vectorized without reassociating any one sum).
double row_dot(const double* __restrict row, const double* __restrict w, int q) {
  constexpr int kLanes = 8;
  double acc[kLanes] = {};
  int k = 0;
  for (; k + kLanes <= q; k += kLanes)
    for (int l = 0; l < kLanes; ++l) acc[l] += row[k + l] * w[k + l];
  double sum = 0;
  for (int l = 0; l < kLanes; ++l) sum += acc[l];
  for (; k < q; ++k) sum += row[k] * w[k];
  return sum;
}

// out = Aᵀ (c ⊙ A w) in one pass over A: each block of rows is read from memory once and reused
// from L1 for the second product (the library's kernel does the same with Eigen).
void hessian_vector(const FloorDesign& d, double c, const double* __restrict w,
                    double* __restrict out) {
  constexpr int kBlock = 16;
  std::fill(out, out + d.q, 0.0);
  for (int lo = 0; lo < d.m; lo += kBlock) {
    const int hi = std::min(d.m, lo + kBlock);
    double t[kBlock];
    for (int r = lo; r < hi; ++r) t[r - lo] = c * row_dot(d.a + std::size_t(r) * d.q, w, d.q);
    for (int r = lo; r < hi; ++r) {
      const double* __restrict row = d.a + std::size_t(r) * d.q;
      const double tr = t[r - lo];
      for (int k = 0; k < d.q; ++k) out[k] += tr * row[k];
    }
  }
}

}  // namespace

void hgp_floor(const std::vector<FloorDesign>& designs, int depth, int rounds,
               const InEdges& in_edges, int agents, int first) {
  const int local = static_cast<int>(designs.size());
  const int q = designs.empty() ? 0 : designs.front().q, width = q + 1;
  std::vector<double> w(q, 1.0), out(q);
  std::vector<std::vector<double>> rows(agents, std::vector<double>(width, 1.0));
  std::vector<std::vector<double>> mixed(local, std::vector<double>(width));
  std::size_t t = 0;
  for (int step = 0; step < depth; ++step) {
    for (int i = 0; i < local; ++i) {
      hessian_vector(designs[i], 1e-3, w.data(), out.data());
      w[step % q] += 1e-12 * out[i % q];  // the products stay live
    }
    for (int r = 0; r < rounds; ++r, ++t) {
      const auto& round = in_edges[t % in_edges.size()];
      for (int j = 0; j < local; ++j) {
        double* __restrict y = mixed[j].data();
        const auto& in = round[first + j];
        const double* __restrict x0 = rows[in.front().first].data();
        const double p0 = in.front().second;
        for (int k = 0; k < width; ++k) y[k] = p0 * x0[k];
        for (std::size_t e = 1; e < in.size(); ++e) {
          const double* __restrict x = rows[in[e].first].data();
          const double p = in[e].second;
          for (int k = 0; k < width; ++k) y[k] += p * x[k];
        }
      }
      for (int j = 0; j < local; ++j) rows[first + j].swap(mixed[j]);
    }
  }
}

}  // namespace hyperpush::bench
