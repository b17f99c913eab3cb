// One push-sum round against a raw MPI_Isend/Irecv ring round of the same vector, in the same run.
//
// Setting: one agent per rank on the one-peer exponential schedule (each agent pushes to itself and
// one peer per round, like the ring), d = 1e4, 1e5, 1e6 numbers per agent. The push-sum round is
// the library's whole round: planning from G(t), one aggregated message per peer rank, and the
// weighted sum of the received rows in sender order. The ring round only moves the bytes.
// Target: push-sum / ring <= 1.15. Run: scripts/mpirun.sh 4 build/bin/bench_push_sum [blocks]
// The last columns compare with one local pass of the mixing arithmetic itself (out = a·x + b·y
// over d + 1 numbers), after the ring and alone: the floor for any push-sum that moves the same
// bytes by messages, and the memory-traffic floor of a round that reads its peer's row in place.
// The last three columns are the same push-sum over a shared-memory window (comm.transport =
// shared; the ranks must share a node). [blocks] [--quick] [--json FILE] (bench_args.hpp).
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bench_args.hpp"
#include "hyperpush/comm/exchange.hpp"
#include "hyperpush/consensus/push_sum.hpp"
#include "hyperpush/graph/schedule.hpp"

namespace {

// Seconds per round, as the slowest rank saw it, over `rounds` back-to-back rounds.
template <class Round>
double time_rounds(int rounds, Round&& round) {
  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  for (int r = 0; r < rounds; ++r) round(r);
  double mine = (MPI_Wtime() - start) / rounds, slowest = 0;
  MPI_Allreduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return slowest;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  const auto args = hyperpush::bench::parse_args(argc, argv);
  const int blocks = static_cast<int>(hyperpush::bench::arg_or(args, 0, args.quick ? 2 : 15));
  const std::vector<int> sizes =
      args.quick ? std::vector<int>{10000} : std::vector<int>{10000, 100000, 1000000};
  nlohmann::json rows = nlohmann::json::array();
  if (rank == 0) {
    std::printf(
        "push-sum round vs raw MPI_Isend/Irecv ring round: %d ranks, one agent per rank, "
        "one-peer-exponential; median of %d blocks\n",
        ranks, blocks);
    std::printf("%10s %10s %14s %8s %14s %8s %14s %8s %8s\n", "d", "ring (ms)", "messages (ms)",
                "ratio", "vs ring + mix", "vs mix", "shared (ms)", "ratio", "vs mix");
  }
  for (const int d : sizes) {
    const int rounds = args.quick ? 4 : std::max(4, 20000000 / d / 8);
    // Raw ring: send d numbers to rank + 1, receive d from rank - 1.
    std::vector<double> out(d, 1.0), in(d, 0.0);
    const int next = (rank + 1) % ranks, prev = (rank + ranks - 1) % ranks;
    const auto ring_round = [&](int) {
      MPI_Request req[2];
      MPI_Irecv(in.data(), d, MPI_DOUBLE, prev, 0, MPI_COMM_WORLD, &req[0]);
      MPI_Isend(out.data(), d, MPI_DOUBLE, next, 0, MPI_COMM_WORLD, &req[1]);
      MPI_Waitall(2, req, MPI_STATUSES_IGNORE);
    };
    // Push-sum: (w_i, ω_i) with w_i of dimension d.
    hyperpush::graph::TopologySpec spec;
    spec.kind = "one-peer-exponential";
    hyperpush::graph::Schedule schedule(spec, ranks, 0);
    // The same push-sum over messages and over a shared-memory window (comm.transport).
    hyperpush::comm::ExchangeOptions by_messages, by_window;
    by_window.transport = hyperpush::comm::Transport::shared;
    hyperpush::comm::Exchange exchange(hyperpush::comm::Communicator::world(), ranks, d + 1,
                                       by_messages);
    hyperpush::comm::Exchange window(hyperpush::comm::Communicator::world(), ranks, d + 1,
                                     by_window);
    hyperpush::consensus::PushSumAverage push_sum(exchange), shared_sum(window);
    std::fill(push_sum.value(0), push_sum.value(0) + d, 1.0 + rank);
    std::fill(shared_sum.value(0), shared_sum.value(0) + d, 1.0 + rank);
    std::int64_t t = 0, u = 0;
    const auto push_round = [&](int) { push_sum.round(schedule.round(t++)); };
    const auto shared_round = [&](int) { shared_sum.round(schedule.round(u++)); };
    // The mixing arithmetic alone, on buffers of the same size.
    std::vector<double> x(d + 1, 1.0), y(d + 1, 2.0), mixed(d + 1);
    // Averaging by the collective itself, as a central baseline: MPI_Allreduce of the d + 1 numbers.
    std::vector<double> reduced(d + 1, 1.0);
    const auto allreduce = [&](int) {
      MPI_Allreduce(MPI_IN_PLACE, reduced.data(), d + 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    };
    const auto mix = [&](int r) {
      const double a = 0.5, b = 0.5 + 1e-9 * r;
      for (int k = 0; k <= d; ++k) mixed[k] = a * x[k] + b * y[k];
      x[r % d] = mixed[(r * 7) % d];
    };

    time_rounds(rounds, ring_round);  // warm up both paths (first-touch, MPI buffers)
    time_rounds(rounds, push_round);
    time_rounds(rounds, shared_round);
    std::vector<double> ring, push, shared, collective, ratio, floor_ratio, mix_ratio, shared_ratio,
        shared_mix_ratio;
    for (int b = 0; b < blocks; ++b) {
      ring.push_back(time_rounds(rounds, ring_round));
      push.push_back(time_rounds(rounds, push_round));
      shared.push_back(time_rounds(rounds, shared_round));
      const double mixing = time_rounds(rounds, mix);
      collective.push_back(time_rounds(rounds, allreduce));
      ratio.push_back(push.back() / ring.back());
      floor_ratio.push_back(push.back() / (ring.back() + mixing));
      mix_ratio.push_back(push.back() / mixing);
      shared_ratio.push_back(shared.back() / ring.back());
      shared_mix_ratio.push_back(shared.back() / mixing);
    }
    if (rank == 0)
      std::printf("%10d %10.4f %14.4f %8.2f %14.2f %8.2f %14.4f %8.2f %8.2f\n", d,
                  median(ring) * 1e3, median(push) * 1e3, median(ratio), median(floor_ratio),
                  median(mix_ratio), median(shared) * 1e3, median(shared_ratio),
                  median(shared_mix_ratio));
    rows.push_back({{"d", d},
                    {"ring_ms", median(ring) * 1e3},
                    {"messages_ms", median(push) * 1e3},
                    {"messages_vs_ring", median(ratio)},
                    {"messages_vs_ring_plus_mix", median(floor_ratio)},
                    {"messages_vs_mix", median(mix_ratio)},
                    {"shared_ms", median(shared) * 1e3},
                    {"shared_vs_ring", median(shared_ratio)},
                    {"shared_vs_mix", median(shared_mix_ratio)},
                    {"allreduce_ms", median(collective) * 1e3}});
  }
  if (rank == 0)
    hyperpush::bench::write_json(args, {{"ranks", ranks}, {"blocks", blocks}, {"rows", rows}});
  MPI_Finalize();
  return 0;
}
