// Synchronous vs asynchronous push-sum with a straggler, in the same run.
//
// Setting: every rank hosts 4 agents, one-peer exponential schedule, d = 10,000; the last rank is
// slowed (faults.slow_rank): after each of its rounds it sleeps (factor − 1) × the round's time.
// Synchronous: R rounds, every rank waits for its in-neighbours, so all go at the straggler's pace.
// Asynchronous (consensus.mode = async): every rank runs R rounds at least and on until the
// straggler has done R. Printed per rank: rounds per second in each mode; the ratio async / sync
// of the other ranks (median), target ≥ 2 with 4 ranks and factor 3; and each mode's consensus
// error after the run, max |w_i/ω_i − x̄| / max |x̄| (target ≤ 1e-10).
// Run: scripts/mpirun.sh 4 build/bin/bench_async_push_sum [rounds] [factor] [--quick]
// [--json FILE] (bench_args.hpp)
#include "hyperpush/consensus/async_push_sum.hpp"

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bench_args.hpp"
#include "hyperpush/comm/mailbox.hpp"
#include "hyperpush/comm/mpi_communicator.hpp"
#include "hyperpush/consensus/push_sum.hpp"
#include "hyperpush/graph/schedule.hpp"
#include "hyperpush/random.hpp"

namespace {

using namespace hyperpush;

constexpr int kAgentsPerRank = 4;

double initial(int agent, int k) { return random_normal(5, Purpose::initial_value, agent, k, 0); }

// Sets the initial values, runs `run` (which returns this rank's rounds) and returns
// {rounds per second of this rank, consensus error over all agents}.
template <class PushSum, class Run>
std::pair<double, double> measure(PushSum& push_sum, int first, int agents, int dim, Run&& run) {
  for (int i = 0; i < push_sum.local_count(); ++i)
    for (int k = 0; k < dim; ++k) push_sum.value(i)[k] = initial(first + i, k);
  std::vector<double> mean(dim, 0.0);
  double scale = 0;
  for (int k = 0; k < dim; ++k) {
    for (int i = 0; i < agents; ++i) mean[k] += initial(i, k);
    scale = std::max(scale, std::abs(mean[k] /= agents));
  }
  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  const double rounds = static_cast<double>(run());
  const double rate = rounds / (MPI_Wtime() - start);
  double error = 0;
  std::vector<double> estimate(dim);
  for (int i = 0; i < push_sum.local_count(); ++i) {
    push_sum.estimate(i, estimate.data());
    for (int k = 0; k < dim; ++k) error = std::max(error, std::abs(estimate[k] - mean[k]) / scale);
  }
  MPI_Allreduce(MPI_IN_PLACE, &error, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return {rate, error};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void run(int argc, char** argv) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  const auto args = bench::parse_args(argc, argv);
  const int dim = args.quick ? 1000 : 10000;
  const int rounds = static_cast<int>(bench::arg_or(args, 0, args.quick ? 20 : 1000));
  const double factor = bench::arg_or(args, 1, 3);
  const int agents = kAgentsPerRank * ranks;
  comm::ExchangeOptions options;
  options.slow_rank = ranks - 1;
  options.slow_factor = factor;
  graph::TopologySpec spec;
  spec.kind = "one-peer-exponential";
  graph::Schedule schedule(spec, agents, 1);
  const comm::Communicator world = comm::Communicator::world();

  comm::Exchange exchange(world, agents, dim + 1, options);
  consensus::PushSumAverage sync(exchange);
  const auto [sync_rate, sync_error] = measure(sync, exchange.first_local(), agents, dim, [&] {
    for (int t = 0; t < rounds; ++t) sync.round(schedule.round(t));
    return rounds;
  });
  comm::Mailbox mailbox(world, agents, dim + 1, options);
  consensus::AsyncPushSum async(mailbox);
  const auto [async_rate, async_error] = measure(async, mailbox.first_local(), agents, dim,
                                                 [&] { return async.run(schedule, rounds); });

  const double mine[2] = {sync_rate, async_rate};
  std::vector<double> all(2 * static_cast<std::size_t>(ranks));
  MPI_Gather(mine, 2, MPI_DOUBLE, all.data(), 2, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  if (rank == 0) {
    std::printf(
        "push-sum with a straggler: %d ranks x %d agents, d = %d, one-peer-exponential, rank %d "
        "slowed %gx, %d rounds (async: at least)\n",
        ranks, kAgentsPerRank, dim, ranks - 1, factor, rounds);
    std::printf("%6s %16s %16s %8s\n", "rank", "sync rounds/s", "async rounds/s", "ratio");
    std::vector<double> ratios;
    for (int r = 0; r < ranks; ++r) {
      const double ratio = all[2 * r + 1] / all[2 * r];
      if (r != ranks - 1) ratios.push_back(ratio);
      std::printf("%6d %16.1f %16.1f %8.2f%s\n", r, all[2 * r], all[2 * r + 1], ratio,
                  r == ranks - 1 ? "  (slowed)" : "");
    }
    std::printf("other ranks, async / sync rounds per second (median): %.2f (target >= 2)\n",
                median(ratios));
    std::printf("consensus error: sync %.2e, async %.2e (target <= 1e-10)\n", sync_error,
                async_error);
    std::vector<double> sync_rates, async_rates;
    for (int r = 0; r < ranks; ++r) {
      sync_rates.push_back(all[2 * r]);
      async_rates.push_back(all[2 * r + 1]);
    }
    bench::write_json(args, {{"ranks", ranks},
                             {"dim", dim},
                             {"rounds", rounds},
                             {"slow_factor", factor},
                             {"sync_rounds_per_second", sync_rates},
                             {"async_rounds_per_second", async_rates},
                             {"others_async_vs_sync", median(ratios)},
                             {"sync_consensus_error", sync_error},
                             {"async_consensus_error", async_error}});
  }
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  run(argc, argv);
  MPI_Finalize();
  return 0;
}
