// One HGP hyper-gradient against the vectorized numpy HGP of ../shared/peers/numpy_hgp.py, in the
// same run: 16 agents, binary logistic regression with a per-agent L2 hyperparameter, d = 784 + 1
// (bias), 200 training and 200 validation samples per agent, random directed schedule with
// r_uv ~ U(0.4, 0.8), M = 100 Neumann steps, S = 10 push-sum rounds each. Data of the same shape
// and law (features N(0, 1/784), labels from a logistic teacher with slope 3), drawn with
// hyperpush's generator. Inner problem solved exactly (Newton) first, as the peer does; timed: the
// HGP call, with α given (as the peer computes it densely) and with α from the push-sum power
// iteration. Target: ≥ 5× faster than numpy in one process, within 2× of that on 4 ranks. Run:
// scripts/mpirun.sh 1 build/bin/bench_hypergradient [peer script] ; then with 4.
#include "hyperpush/bilevel/hypergradient.hpp"

#include <mpi.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>

#include "hyperpush/bilevel/inner_solver.hpp"
#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/random.hpp"

namespace {

using namespace hyperpush;

constexpr int kAgents = 16, kFeatures = 784, kSamples = 200, kDepth = 100, kRounds = 10;

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

void run(int argc, char** argv) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  const std::string peer =
      argc > 1 ? argv[1] : std::string(HYPERPUSH_SOURCE_DIR) + "/../shared/peers/numpy_hgp.py";

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
  for (int i = agents.first; i < agents.first + gossip.local_count(); ++i) {
    model::LinearSpec linear;
    linear.initial_log_decay =
        std::log(0.05 + 0.15 * random_uniform(7, Purpose::data_partition, 98, i, 0));
    agents.problems.push_back(model::make_linear_problem(linear, draw(i, 0, teacher),
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
  const double t_given = seconds_of(
      [&] { given = bilevel::compute_hypergradient(gossip, agents, inner.z(), options); });
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
    std::printf("  hyperpush HGP, alpha given:           %8.4f s  (rel. error vs exact %.1e)\n",
                t_given, diff / scale);
    std::printf("  hyperpush HGP, alpha by power iter.:  %8.4f s\n", t_power);
    double numpy = -1;
    if (std::ifstream(peer).good()) {
      const std::string command =
          "/usr/bin/python3 " + peer + " --agents 16 --dim 784 --samples 200 --M 100 --S 10";
      if (FILE* pipe = popen(command.c_str(), "r")) {
        char line[1024] = {};
        if (std::fgets(line, sizeof line, pipe)) {
          const char* at = std::strstr(line, "\"seconds\": ");
          if (at) numpy = std::atof(at + 11);
        }
        pclose(pipe);
      }
    }
    if (numpy > 0)
      std::printf(
          "  numpy HGP (peer, same run):           %8.4f s  -> hyperpush %.1fx faster (target >= "
          "5x)\n",
          numpy, numpy / t_given);
    else
      std::printf("  numpy peer not run (%s not found)\n", peer.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  run(argc, argv);  // every MPI object is freed before MPI_Finalize
  MPI_Finalize();
  return 0;
}
