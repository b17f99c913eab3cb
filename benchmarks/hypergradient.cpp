// One HGP hyper-gradient against the vectorized numpy HGP of ../shared/peers/numpy_hgp.py, in the
// same run: 16 agents, binary logistic regression with a per-agent L2 hyperparameter, d = 784 + 1
// (bias), 200 training and 200 validation samples per agent, random directed schedule with
// r_uv ~ U(0.4, 0.8), M = 100 Neumann steps, S = 10 push-sum rounds each. Data of the same shape
// and law (features N(0, 1/784), labels from a logistic teacher with slope 3), drawn with
// hyperpush's generator. Inner problem solved exactly (Newton) first, as the peer does; timed: the
// HGP call, with α given (as the peer computes it densely) and with α from the push-sum power
// iteration. Also timed, in the same process: the floor of that hyper-gradient, its arithmetic and
// nothing else, with kernels built for this CPU (hgp_floor.cpp, -march=native): per agent and
// Neumann step one Hessian-vector product Aᵀ(c ⊙ A w) with the agent's design matrix, A read once,
// and per push-sum round one mixing pass (every local agent's row of d + 1 numbers as Σ p_ji x_i
// over its in-edges of G(t)).
// Run: scripts/mpirun.sh 1 build/bin/bench_hypergradient [--quick] [--json FILE] [peer script];
// then with 4. --json FILE writes {"ranks", "hgp_seconds", "floor_seconds", "numpy_seconds",
// "numpy_blas"} (medians) and "hgp", "floor", "numpy": {"median", "min", "max", "runs"}. --quick:
// one run of each (bench_args.hpp).
#include "hyperpush/bilevel/hypergradient.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "bench_args.hpp"
#include "hgp_floor.hpp"
#include "hyperpush/bilevel/inner_solver.hpp"
#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/random.hpp"

namespace {

using namespace hyperpush;

constexpr int kAgents = 16, kFeatures = 784, kSamples = 200, kDepth = 100, kRounds = 10;
constexpr int kRepeats = 7, kPeerRepeats = 3;  // 1 each with --quick

// Seconds of repeated runs: the median and the spread.
class Timings {
 public:
  void add(double seconds) { runs_.push_back(seconds); }
  bool empty() const { return runs_.empty(); }
  double median() const {
    std::vector<double> sorted = runs_;
    std::sort(sorted.begin(), sorted.end());
    return sorted[sorted.size() / 2];
  }
  nlohmann::json figures() const {
    if (runs_.empty()) return nullptr;
    return {{"median", median()},
            {"min", *std::min_element(runs_.begin(), runs_.end())},
            {"max", *std::max_element(runs_.begin(), runs_.end())},
            {"runs", runs_.size()}};
  }
  std::string text() const {
    char out[64];
    std::snprintf(out, sizeof out, "%8.4f s [%.4f, %.4f]", median(),
                  *std::min_element(runs_.begin(), runs_.end()),
                  *std::max_element(runs_.begin(), runs_.end()));
    return out;
  }

 private:
  std::vector<double> runs_;
};

model::LabelledData draw(int agent, int part, const model::Vector& teacher) {
  model::LabelledData d;
  d.features.resize(kSamples, kFeatures);
  d.labels.resize(kSamples);
  const std::uint64_t stream = 2 * static_cast<std::uint64_t>(agent) + part;
  for (int r = 0; r < kSamples; ++r) {
    double z = teacher[kFeatures];
    for (int k = 0; k < kFeatures; ++k) {
      d.features(r, k) = random_normal(7, Purpose::data_partition, stream, r * kFeatures + k, 9) /
                         std::sqrt(double(kFeatures));
      z += d.features(r, k) * teacher[k];
    }
    const double u = random_uniform(7, Purpose::data_partition, stream, r, 10);
    d.labels[r] = u < 1 / (1 + std::exp(-3 * z)) ? 1 : 0;
  }
  return d;
}

double seconds_of(const std::function<void()>& f) {
  MPI_Barrier(MPI_COMM_WORLD);
  const auto start = std::chrono::steady_clock::now();
  f();
  double mine = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
         all;
  MPI_Allreduce(&mine, &all, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return all;
}

// A design matrix [features, 1] as the linear problems hold it (row-major, one sample per row).
using Design = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

Design design_of(const model::LabelledData& d) {
  Design a(d.features.rows(), d.features.cols() + 1);
  a.leftCols(d.features.cols()) = d.features;
  a.col(d.features.cols()).setOnes();
  return a;
}

// The floor (hgp_floor.hpp) on this rank's agents, with the in-edges of the HGP's M·S rounds.
double floor_seconds(const std::vector<Design>& designs, graph::Schedule& schedule, int first) {
  bench::InEdges in_edges(kDepth * kRounds,
                          std::vector<std::vector<std::pair<int, double>>>(kAgents));
  for (std::size_t t = 0; t < in_edges.size(); ++t) {
    const graph::Digraph& g = schedule.round(static_cast<std::int64_t>(t));
    for (int j = 0; j < kAgents; ++j)
      for (const int* s = g.in_begin(j); s != g.in_end(j); ++s)
        in_edges[t][j].emplace_back(*s, 1.0 / g.out_degree(*s));
  }
  std::vector<bench::FloorDesign> raw;
  for (const Design& a : designs)
    raw.push_back({a.data(), static_cast<int>(a.rows()), static_cast<int>(a.cols())});
  return seconds_of([&] { bench::hgp_floor(raw, kDepth, kRounds, in_edges, kAgents, first); });
}

// The numpy peer's seconds and the BLAS it reports, a JSON object ("null" when it did not run).
// `threads` BLAS threads: one per rank of the hyperpush run it is compared with. The peer may use
// every core (taskset): mpirun binds this rank to one, and OpenBLAS would inherit that binding.
std::pair<double, std::string> run_numpy_peer(const std::string& peer, int threads) {
  if (!std::ifstream(peer).good()) return {-1, "null"};
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::string command = "taskset -c 0-" + std::to_string(cores - 1) + " /usr/bin/python3 " +
                              peer + " --agents 16 --dim 784 --samples 200 --M 100 --S 10 " +
                              "--threads " + std::to_string(threads);
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return {-1, "null"};
  char line[2048] = {};
  std::string out;
  while (std::fgets(line, sizeof line, pipe)) out += line;
  pclose(pipe);
  double seconds = -1;
  std::string blas = "null";
  if (const auto at = out.find("\"seconds\": "); at != std::string::npos)
    seconds = std::atof(out.c_str() + at + 11);
  if (const auto at = out.find("\"blas\": {"); at != std::string::npos)
    blas = out.substr(at + 8, out.find('}', at) - at - 7);
  return {seconds, blas};
}

void run(int argc, char** argv) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  const auto args = bench::parse_args(argc, argv);
  const std::string peer = args.rest.empty()
                               ? std::string(HYPERPUSH_SOURCE_DIR) + "/../shared/peers/numpy_hgp.py"
                               : args.rest.front();
  const int repeats = args.quick ? 1 : kRepeats, peer_repeats = args.quick ? 1 : kPeerRepeats;

  graph::TopologySpec spec;  // random-directed, U(0.4, 0.8)
  graph::Schedule schedule(spec, kAgents, 0);
  consensus::Gossip gossip(comm::Communicator::world(), schedule);
  bilevel::AgentSet agents;
  agents.agents = kAgents;
  agents.first = gossip.first_local();
  agents.dim = kFeatures + 1;
  model::Vector teacher(kFeatures + 1);
  for (int k = 0; k <= kFeatures; ++k)
    teacher[k] = random_normal(7, Purpose::data_partition, 99, k, 0);
  std::vector<Design> designs;
  for (int i = agents.first; i < agents.first + gossip.local_count(); ++i) {
    model::LinearSpec linear;
    linear.initial_log_decay =
        std::log(0.05 + 0.15 * random_uniform(7, Purpose::data_partition, 98, i, 0));
    auto train = draw(i, 0, teacher);
    designs.push_back(design_of(train));
    agents.problems.push_back(model::make_linear_problem(linear, std::move(train),
                                                         draw(i, 1, teacher), draw(i, 1, teacher)));
    agents.lambda.push_back(agents.problems.back()->initial_lambda());
  }
  bilevel::InnerOptions newton;
  newton.method = bilevel::InnerMethod::exact;
  bilevel::InnerSolver inner(gossip, agents, newton);
  inner.solve();
  const auto exact = bilevel::exact_hypergradient(gossip.comm(), gossip.map(), agents, inner.z());

  bilevel::HypergradientOptions options;
  options.depth = kDepth;
  options.push_rounds = kRounds;
  options.agreement_rounds = 30;  // (n − 1)·B with B = 2 on this schedule
  bilevel::HypergradientResult with_power, given;
  const double t_power = seconds_of(
      [&] { with_power = bilevel::compute_hypergradient(gossip, agents, inner.z(), options); });
  options.alpha = with_power.alpha;
  // The HGP and its floor alternate kRepeats times: the medians and the spread of each.
  graph::Schedule floor_schedule(spec, kAgents, 0);
  Timings t_given, t_floor;
  for (int r = 0; r < repeats; ++r) {
    t_given.add(seconds_of(
        [&] { given = bilevel::compute_hypergradient(gossip, agents, inner.z(), options); }));
    t_floor.add(floor_seconds(designs, floor_schedule, agents.first));
  }
  double diff = 0, scale = 0;
  for (int i = 0; i < agents.local_count(); ++i) {
    diff = std::max(diff, (given.v[i] - exact[i]).cwiseAbs().maxCoeff());
    scale = std::max(scale, exact[i].cwiseAbs().maxCoeff());
  }
  MPI_Allreduce(MPI_IN_PLACE, &diff, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  MPI_Allreduce(MPI_IN_PLACE, &scale, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);

  if (rank == 0) {
    std::printf("one hyper-gradient: %d agents, d = %d, M = %d, S = %d, %d rank%s\n", kAgents,
                kFeatures + 1, kDepth, kRounds, ranks, ranks == 1 ? "" : "s");
    std::printf("  (median of %d runs, [min, max])\n", repeats);
    std::printf("  hyperpush HGP, alpha given:           %s  (rel. error vs exact %.1e)\n",
                t_given.text().c_str(), diff / scale);
    std::printf("  hyperpush HGP, alpha by power iter.:  %8.4f s  (one run)\n", t_power);
    std::printf("  floor (HVPs + mixing, native ISA):    %s  -> HGP / floor = %.2f\n",
                t_floor.text().c_str(), t_given.median() / t_floor.median());
    Timings numpy;
    std::string blas = "null";
    for (int r = 0; r < peer_repeats; ++r) {
      const auto [seconds, reported] = run_numpy_peer(peer, ranks);
      if (seconds > 0) numpy.add(seconds);
      blas = reported;
    }
    if (!numpy.empty())
      std::printf(
          "  numpy HGP (peer, same run, %d runs):   %s  -> hyperpush %.2fx faster\n"
          "  numpy's BLAS: %s\n",
          peer_repeats, numpy.text().c_str(), numpy.median() / t_given.median(), blas.c_str());
    else
      std::printf("  numpy peer not run (%s: not found or no time reported)\n", peer.c_str());
    const auto reported_blas = nlohmann::json::parse(blas, nullptr, false);  // as the peer says
    bench::write_json(
        args, {{"ranks", ranks},
               {"hgp_seconds", t_given.median()},
               {"floor_seconds", t_floor.median()},
               {"numpy_seconds", numpy.empty() ? nlohmann::json() : nlohmann::json(numpy.median())},
               {"numpy_blas", reported_blas.is_discarded() ? nlohmann::json(blas) : reported_blas},
               {"hgp", t_given.figures()},
               {"floor", t_floor.figures()},
               {"numpy", numpy.figures()},
               {"relative_error_vs_exact", diff / scale}});
  }
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  run(argc, argv);  // every MPI object is freed before MPI_Finalize
  MPI_Finalize();
  return 0;
}
