// HVP and gradient throughput of the linear models per backend, as ratios measured in the same run
// (issue 4, "Tests and checks"): `cuda` (cuBLAS + fused kernels) and `torch` on a CUDA device
// against the Eigen reference on the CPU (one thread), for d from 1e3 to 1e6 parameters and n from
// 1e3 to 1e5 training samples, n·d ≤ 4e9 on the GPU and ≤ 2e8 on the CPU; plus HVP time / gradient
// time per backend (targets: ≤ 2 for cuda, ≤ 3 for torch's double backward).
//   kinds:    logistic (d = q features + bias) and softmax with C = 10 classes (d = q C; the data
//             matrix is n × d/10, so it costs a tenth of the memory and the same flops).
//   HVP:      H w at one x with a new w each call (what HGP does): w host→device, result back.
//   gradient: ∇g at a new x each call (a full pass: Z = A X, per-sample terms, Aᵀ R).
// Data: features U(−1, 1)/√q, labels from a hash, both keyed by (n, q, entry): deterministic.
// Usage: bench_linear_hvp [--quick] [--max-cpu N] [--max-gpu N] [--out DIR]
//   --quick: n·d ≤ 1e7 on both sides, a smoke run (CPU-only machines, CI); --max-*: other bounds
//   on n·d. Writes DIR/linear_hvp.csv when --out is given. A backend that is not built or has no
//   device is reported once as skipped and its columns are n/a; the run still exits 0.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/random.hpp"
#ifdef HYPERPUSH_WITH_CUDA
#include "hyperpush/cuda/cuda_problem.hpp"
#endif
#ifdef HYPERPUSH_WITH_TORCH
#include "hyperpush/torch/torch_problem.hpp"
#endif

namespace {

using namespace hyperpush;
using model::LocalProblem;
using model::Vector;

constexpr int kSoftmaxClasses = 10;

double hashed_uniform(std::uint64_t key) {  // U(−1, 1)
  return static_cast<double>(splitmix64(key) >> 11) * 0x1.0p-52 - 1.0;
}

// n samples of `features` features, labels in [0, classes).
model::LabelledData draw(long n, long features, int classes) {
  model::LabelledData data;
  data.features.resize(n, features);
  data.labels.resize(n);
  const std::uint64_t key = splitmix64(static_cast<std::uint64_t>(n) * 1000003 + features);
  const double scale = 1 / std::sqrt(static_cast<double>(std::max(features, 1L)));
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (long j = t; j < features; j += threads)
        for (long k = 0; k < n; ++k)
          data.features(k, j) = scale * hashed_uniform(key ^ static_cast<std::uint64_t>(j * n + k));
    });
  for (auto& thread : pool) thread.join();
  for (long k = 0; k < n; ++k)
    data.labels[k] = static_cast<int>(splitmix64(key + k) % static_cast<std::uint64_t>(classes));
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
  std::string kind;
  long n, d;
  std::string backend;
  Timing t;
  Timing eigen;  // the CPU reference at the same size; NaN when not measured there
};

// "12.34", or "n/a" for NaN.
std::string ratio(double v) {
  if (std::isnan(v)) return "n/a";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", v);
  return buffer;
}

// The HVP / gradient target of a backend (the issue's: hand-written kernels ≤ 2, autograd ≤ 3).
double target_of(const std::string& backend) {
  if (backend == "cuda") return 2.0;
  if (backend == "torch-cuda") return 3.0;
  return NAN;
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  double max_gpu = 4e9, max_cpu = 2e8;
  std::string out_dir;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      quick = true;
    } else if (!std::strcmp(argv[i], "--max-cpu") && i + 1 < argc) {
      max_cpu = std::atof(argv[++i]);
    } else if (!std::strcmp(argv[i], "--max-gpu") && i + 1 < argc) {
      max_gpu = std::atof(argv[++i]);
    } else if (!std::strcmp(argv[i], "--out") && i + 1 < argc) {
      out_dir = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--max-cpu N] [--max-gpu N] [--out DIR]\n",
                   argv[0]);
      return 2;
    }
  }
  if (quick) max_gpu = std::min(max_gpu, 1e7), max_cpu = std::min(max_cpu, 1e7);

  // Which device backends can run here; each says why not once.
  bool cuda = false, torch_cuda = false;
#ifdef HYPERPUSH_WITH_CUDA
  cuda = model::cuda_device_count() > 0;
  if (!cuda) std::printf("cuda: no CUDA device: skipped\n");
#else
  std::printf("cuda: built without CUDA: skipped\n");
#endif
#ifdef HYPERPUSH_WITH_TORCH
  try {
    std::printf("torch-cuda: device %s\n", model::torch_device_name("cuda", 0).c_str());
    torch_cuda = true;
  } catch (const std::exception& e) {
    std::printf("torch-cuda: skipped (%s)\n", e.what());
  }
#else
  std::printf("torch-cuda: built without LibTorch: skipped\n");
#endif
  std::printf("n·d ≤ %.0e on the CPU (eigen, one thread), ≤ %.0e on the GPU\n", max_cpu, max_gpu);
  std::printf("%-8s %8s %8s %-11s %11s %11s %8s %10s %10s\n", "kind", "n", "d", "backend", "hvp_s",
              "gradient_s", "hvp/grad", "eigen/hvp", "eigen/grad");
  std::fflush(stdout);

  std::vector<Row> rows;
  const auto report = [&](const Row& r) {
    std::printf("%-8s %8ld %8ld %-11s %11.3e %11.3e %8s %10s %10s\n", r.kind.c_str(), r.n, r.d,
                r.backend.c_str(), r.t.hvp, r.t.gradient, ratio(r.t.hvp / r.t.gradient).c_str(),
                ratio(r.eigen.hvp / r.t.hvp).c_str(),
                ratio(r.eigen.gradient / r.t.gradient).c_str());
    std::fflush(stdout);
    rows.push_back(r);
  };
  // Runs one backend at one size; a failure (out of memory, …) is reported and the run goes on.
  const auto run = [&](Row row, const std::function<std::unique_ptr<LocalProblem>()>& make) {
    try {
      const auto problem = make();
      row.t = measure(*problem);
      if (row.backend == "eigen-cpu") row.eigen = row.t;
      report(row);
    } catch (const std::exception& e) {
      std::printf("%-8s %8ld %8ld %-11s failed: %s\n", row.kind.c_str(), row.n, row.d,
                  row.backend.c_str(), e.what());
    }
    return row.t;
  };

  for (const bool softmax : {false, true}) {
    const int classes = softmax ? kSoftmaxClasses : 2;
    const int logits = softmax ? kSoftmaxClasses : 1;
    const std::string kind = softmax ? "softmax" : "logistic";
    model::LinearSpec spec;  // l2 decay, bias: d = (features + 1) · logits
    spec.kind = softmax ? model::LinearKind::softmax : model::LinearKind::logistic;
    spec.classes = classes;
    for (const long d : {1000L, 10000L, 100000L, 1000000L})
      for (const long n : {1000L, 10000L, 100000L}) {
        const double size = static_cast<double>(n) * static_cast<double>(d);
        const bool on_cpu = size <= max_cpu, on_gpu = size <= max_gpu && (cuda || torch_cuda);
        if (!on_cpu && !on_gpu) continue;
        const long features = d / logits - 1;  // + the bias column: q = d / logits
        const model::LabelledData data = draw(n, features, classes);
        Timing eigen;
        if (on_cpu)
          eigen = run({kind, n, d, "eigen-cpu", {}, {}},
                      [&] { return model::make_linear_problem(spec, data, {}, {}); });
        if (!on_gpu) continue;
#ifdef HYPERPUSH_WITH_CUDA
        if (cuda)
          run({kind, n, d, "cuda", {}, eigen},
              [&] { return model::make_cuda_problem(spec, data, {}, {}); });
#endif
#ifdef HYPERPUSH_WITH_TORCH
        if (torch_cuda)
          run({kind, n, d, "torch-cuda", {}, eigen}, [&] {
            model::TorchSpec ts;
            ts.kind = softmax ? model::TorchKind::softmax : model::TorchKind::logistic;
            ts.classes = classes;
            ts.device = "cuda";
            return model::make_torch_problem(ts, data, {}, {});
          });
#endif
      }
  }

  // HVP / gradient per backend and kind: the worst size against the target.
  std::printf("\nHVP time / gradient time, worst size (target: cuda <= 2, torch-cuda <= 3)\n");
  std::map<std::pair<std::string, std::string>, double> worst;
  for (const Row& r : rows) {
    double& w = worst[{r.backend, r.kind}];
    w = std::max(w, r.t.hvp / r.t.gradient);
  }
  for (const auto& [key, value] : worst) {
    const double target = target_of(key.first);
    std::printf("  %-11s %-8s %6.2f  %s\n", key.first.c_str(), key.second.c_str(), value,
                std::isnan(target) ? "(reference)"
                : value <= target  ? "target met"
                                   : "OVER TARGET");
  }
  if (!out_dir.empty()) {
    std::ofstream csv(out_dir + "/linear_hvp.csv");
    csv << "kind,n,d,backend,hvp_s,gradient_s,hvp_over_gradient,eigen_hvp_over_hvp,"
           "eigen_gradient_over_gradient\n";
    const auto field = [](double v) {
      std::ostringstream s;
      if (!std::isnan(v)) s << v;
      return s.str();
    };
    for (const Row& r : rows)
      csv << r.kind << ',' << r.n << ',' << r.d << ',' << r.backend << ',' << r.t.hvp << ','
          << r.t.gradient << ',' << r.t.hvp / r.t.gradient << ',' << field(r.eigen.hvp / r.t.hvp)
          << ',' << field(r.eigen.gradient / r.t.gradient) << '\n';
  }
  return 0;
}
