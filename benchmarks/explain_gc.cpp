// GC scoring (specs/explain.md, "Computing GC at scale"): N cached training gradients of dimension
// P against M query gradients, as one GEMM (SimilarityIndex, the library's path) vs a row-by-row
// loop (the authors' reference code's formulation: one cached row at a time) vs Eigen's dense
// 1024 × 1024 product measured in the same run; absolute GFLOP/s (2·N·P·M flops per scoring;
// normalisation and top-k not counted in the flops but in the time of the GEMM path).
// Usage: bench_explain_gc [N P M] [--quick] [--json FILE]   (default 20000 650 500: digits-sized
// gradients, 500 queries; --quick: 2000 650 50, bench_args.hpp)
#include <Eigen/Core>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "bench_args.hpp"
#include "hyperpush/explain/similarity_index.hpp"
#include "hyperpush/random.hpp"

namespace {

using Clock = std::chrono::steady_clock;

template <typename F>
double best_seconds(F&& f, int reps) {
  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

Eigen::MatrixXd random_matrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i)
      m(i, j) = hyperpush::random_uniform(seed, hyperpush::Purpose::initial_value, i, j, 0) - 0.5;
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = hyperpush::bench::parse_args(argc, argv);
  const auto n =
      static_cast<Eigen::Index>(hyperpush::bench::arg_or(args, 0, args.quick ? 2000 : 20000));
  const auto p = static_cast<Eigen::Index>(hyperpush::bench::arg_or(args, 1, 650));
  const auto m =
      static_cast<Eigen::Index>(hyperpush::bench::arg_or(args, 2, args.quick ? 50 : 500));
  const Eigen::MatrixXd g = random_matrix(n, p, 1), t = random_matrix(m, p, 2);
  const double flops = 2.0 * n * p * m;

  // Reference rate: Eigen dgemm 1024 × 1024 × 1024.
  const Eigen::MatrixXd a = random_matrix(1024, 1024, 3), b = random_matrix(1024, 1024, 4);
  Eigen::MatrixXd c(1024, 1024);
  const double t_gemm = best_seconds([&] { c.noalias() = a * b; }, 3);
  const double gemm_rate = 2.0 * 1024 * 1024 * 1024 / t_gemm / 1e9;

  // GEMM formulation: cache normalised rows once, score all queries by one product + top-k.
  const hyperpush::explain::SimilarityIndex index(g, hyperpush::explain::Similarity::cosine);
  double sink = 0;
  const double t_index = best_seconds(
      [&] {
        const auto top = index.top_k(t, 5, 0, m);
        sink += top[0][0].score;
      },
      3);

  // Row-by-row loop: for each query, each cached row, a dot product and the two norms.
  const double t_loop = best_seconds(
      [&] {
        for (Eigen::Index q = 0; q < m; ++q) {
          double best = -2;
          for (Eigen::Index i = 0; i < n; ++i) {
            const double nn = g.row(i).norm() * t.row(q).norm();
            const double s = nn > 0 ? g.row(i).dot(t.row(q)) / nn : 0.0;
            best = std::max(best, s);
          }
          sink += best;
        }
      },
      1);

  std::printf("GC scoring, N = %ld training gradients, P = %ld, M = %ld queries (checksum %.3g)\n",
              static_cast<long>(n), static_cast<long>(p), static_cast<long>(m), sink);
  std::printf("  %-34s %10s %10s %12s\n", "formulation", "seconds", "GFLOP/s", "of dgemm");
  std::printf("  %-34s %10.4f %10.2f %11.1f%%\n", "Eigen dgemm 1024x1024x1024", t_gemm, gemm_rate,
              100.0);
  std::printf("  %-34s %10.4f %10.2f %11.1f%%\n", "GEMM (SimilarityIndex, + top-5)", t_index,
              flops / t_index / 1e9, 100.0 * flops / t_index / 1e9 / gemm_rate);
  std::printf("  %-34s %10.4f %10.2f %11.1f%%\n", "row-by-row loop", t_loop, flops / t_loop / 1e9,
              100.0 * flops / t_loop / 1e9 / gemm_rate);
  std::printf("  speed-up of GEMM over the loop: %.1fx\n", t_loop / t_index);
  hyperpush::bench::write_json(args, {{"n", n},
                                      {"p", p},
                                      {"m", m},
                                      {"dgemm_gflops", gemm_rate},
                                      {"gemm_seconds", t_index},
                                      {"gemm_gflops", flops / t_index / 1e9},
                                      {"loop_seconds", t_loop},
                                      {"gemm_vs_loop", t_loop / t_index}});
  return 0;
}
