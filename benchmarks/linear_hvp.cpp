// HVP throughput of the linear logistic model per backend, as ratios measured in the same run
// (issue 4, "Tests and checks"): `cuda` (cuBLAS + fused kernel) and `torch` on a CUDA device
// against the Eigen reference on the CPU (one thread), for d from 1e3 to 1e6 and n from 1e3 to 1e5
// training samples, n·d ≤ 4e9 on the GPU and ≤ 2e8 on the CPU; plus HVP time / gradient time per
// backend (targets: ≤ 2 for cuda, ≤ 3 for torch's double backward).
//   HVP:      H w at one x with a new w each call (what HGP does): w host→device, result back.
//   gradient: ∇g at a new x each call (a full pass: z = A x, per-sample terms, Aᵀ ℓ').
// Data: features U(−1, 1)/√d, labels from a hash, both keyed by (n, d, entry): deterministic.
// Usage: bench_linear_hvp [--quick] [--out DIR]   (--quick: n·d ≤ 1e7, a smoke run for CPU-only
// machines). Writes DIR/linear_hvp.csv when --out is given. Backends not built or without a device
// are reported as skipped.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/random.hpp"
#ifdef HYPERPUSH_WITH_CUDA
#include "hyperpush/model/cuda_problem.hpp"
#endif
#ifdef HYPERPUSH_WITH_TORCH
#include "hyperpush/model/torch_problem.hpp"
#endif

namespace {

using namespace hyperpush;
using model::LocalProblem;
using model::Vector;

double hashed_uniform(std::uint64_t key) {  // U(−1, 1)
  return static_cast<double>(splitmix64(key) >> 11) * 0x1.0p-52 - 1.0;
}

model::LabelledData draw(long n, long d) {
  model::LabelledData data;
  data.features.resize(n, d);
  data.labels.resize(n);
  const std::uint64_t key = splitmix64(static_cast<std::uint64_t>(n) * 1000003 + d);
  const double scale = 1 / std::sqrt(static_cast<double>(d));
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (long j = t; j < d; j += threads)
        for (long k = 0; k < n; ++k)
          data.features(k, j) = scale * hashed_uniform(key ^ static_cast<std::uint64_t>(j * n + k));
    });
  for (auto& thread : pool) thread.join();
  for (long k = 0; k < n; ++k) data.labels[k] = static_cast<int>(splitmix64(key + k) & 1);
  return data;
}

// Seconds per call of f(r), repeated until 0.3 s or 1000 calls (at least 3).
double seconds_per_call(const std::function<void(int)>& f) {
  f(0);  // warm-up: caches, cuBLAS heuristics, torch's graph
  const auto start = std::chrono::steady_clock::now();
  int calls = 0;
  double elapsed = 0;
  do {
    f(++calls);
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while ((elapsed < 0.3 || calls < 3) && calls < 1000);
  return elapsed / calls;
}

struct Timing {
  double hvp = NAN, gradient = NAN;
};

Timing measure(const LocalProblem& p) {
  const int d = p.dim();
  const Vector lambda = p.initial_lambda();
  Vector xs[2] = {Vector(d), Vector(d)}, ws[2] = {Vector(d), Vector(d)};
  for (int j = 0; j < d; ++j)
    for (int i = 0; i < 2; ++i) {
      xs[i][j] = 0.3 * hashed_uniform(17 + 4 * j + i);
      ws[i][j] = hashed_uniform(19 + 4 * j + i);
    }
  Vector out(d);
  Timing t;
  t.hvp = seconds_per_call([&](int r) { p.hessian_vector(xs[0], lambda, ws[r % 2], out); });
  t.gradient = seconds_per_call([&](int r) { p.inner_gradient(xs[r % 2], lambda, out); });
  return t;
}

struct Row {
  long n, d;
  std::string backend;
  Timing t;
  double eigen_hvp;  // NaN when the CPU side was not measured at this size
};

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  std::string out_dir;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick"))
      quick = true;
    else if (!std::strcmp(argv[i], "--out") && i + 1 < argc)
      out_dir = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s [--quick] [--out DIR]\n", argv[0]);
      return 2;
    }
  }
  const double max_gpu = quick ? 1e7 : 4e9, max_cpu = quick ? 1e7 : 2e8;
  model::LinearSpec spec;  // logistic, l2 decay, bias: d = features + 1
  std::vector<Row> rows;
  std::printf("%9s %9s %-12s %12s %12s %9s %14s\n", "n", "d", "backend", "hvp_s", "gradient_s",
              "hvp/grad", "eigen/backend");
  const auto report = [&](const Row& r) {
    std::printf("%9ld %9ld %-12s %12.3e %12.3e %9.2f %14.2f\n", r.n, r.d, r.backend.c_str(),
                r.t.hvp, r.t.gradient, r.t.hvp / r.t.gradient, r.eigen_hvp / r.t.hvp);
    std::fflush(stdout);
    rows.push_back(r);
  };
#ifdef HYPERPUSH_WITH_CUDA
  const bool cuda = model::cuda_device_count() > 0;
  if (!cuda) std::printf("cuda: no CUDA device: skipped\n");
#else
  std::printf("cuda: built without CUDA: skipped\n");
#endif
#ifdef HYPERPUSH_WITH_TORCH
  bool torch_cuda = true;
#else
  std::printf("torch: built without LibTorch: skipped\n");
#endif
  for (const long d : {1000L, 10000L, 100000L, 1000000L})
    for (const long n : {1000L, 10000L, 100000L}) {
      const double size = static_cast<double>(n) * static_cast<double>(d);
      if (size > max_gpu && size > max_cpu) continue;
      const long features = d - 1;  // + the bias column = d
      const model::LabelledData data = draw(n, features);
      double eigen_hvp = NAN;
      if (size <= max_cpu) {
        const auto p = model::make_linear_problem(spec, data, {}, {});
        const Timing t = measure(*p);
        eigen_hvp = t.hvp;
        report({n, d, "eigen-cpu", t, eigen_hvp});
      }
      if (size > max_gpu) continue;
#ifdef HYPERPUSH_WITH_CUDA
      if (cuda) {
        const auto p = model::make_cuda_problem(spec, data, {}, {});
        report({n, d, "cuda", measure(*p), eigen_hvp});
      }
#endif
#ifdef HYPERPUSH_WITH_TORCH
      if (torch_cuda) {
        try {
          model::TorchSpec ts;
          ts.device = "cuda";
          const auto p = model::make_torch_problem(ts, data, {}, {});
          report({n, d, "torch-cuda", measure(*p), eigen_hvp});
        } catch (const std::exception& e) {
          std::printf("torch-cuda: skipped (%s)\n", e.what());
          torch_cuda = false;
        }
      }
#endif
    }
  if (!out_dir.empty()) {
    std::ofstream csv(out_dir + "/linear_hvp.csv");
    csv << "n,d,backend,hvp_s,gradient_s,hvp_over_gradient,eigen_hvp_over_backend_hvp\n";
    for (const Row& r : rows)
      csv << r.n << ',' << r.d << ',' << r.backend << ',' << r.t.hvp << ',' << r.t.gradient << ','
          << r.t.hvp / r.t.gradient << ',' << r.eigen_hvp / r.t.hvp << '\n';
  }
  return 0;
}
