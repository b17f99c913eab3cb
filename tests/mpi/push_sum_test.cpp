// Push-sum and its transport on 1, 2 and 4 ranks (the same binary runs under each): sums against a
// serial reference, the exact MPI traffic of a round, convergence on every generator, and bitwise
// agreement with a one-rank run.
#include "hyperpush/consensus/push_sum.hpp"

#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "hyperpush/comm/exchange.hpp"
#include "hyperpush/comm/mpi_communicator.hpp"
#include "hyperpush/consensus/max_consensus.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/graph/analysis.hpp"
#include "hyperpush/graph/schedule.hpp"
#include "hyperpush/random.hpp"
#include "mpi_calls.hpp"

namespace hyperpush {
namespace {

int world_rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

double initial(int agent, int k) { return random_normal(11, Purpose::initial_value, agent, k, 0); }

graph::TopologySpec spec_of(const std::string& kind) {
  graph::TopologySpec spec;
  spec.kind = kind;
  if (kind == "file")
    spec.file = std::string(HYPERPUSH_SOURCE_DIR) + "/topologies/ring8-alternating.txt";
  return spec;
}

TEST(Exchange, SumsInSenderOrderLikeASerialReference) {
  for (const int n : {3, 8, 13}) {
    const int width = 5;
    comm::Exchange exchange(comm::Communicator::world(), n, width);
    const int lo = exchange.first_local(), local = exchange.local_count();
    std::vector<double> send(local * width + 1), recv(local * width + 1);
    for (int i = 0; i < local; ++i)
      for (int k = 0; k < width; ++k) send[i * width + k] = initial(lo + i, k);
    graph::Schedule schedule(spec_of("random-directed"), n, 5);
    for (int t = 0; t < 4; ++t) {
      const graph::Digraph& g = schedule.round(t);
      exchange.push(g, send.data(), recv.data());
      for (int j = lo; j < lo + local; ++j)
        for (int k = 0; k < width; ++k) {
          double expected = 0;  // Σ_{s ∈ in(j), ascending} (1/|O_s|) x_s
          for (const int* s = g.in_begin(j); s != g.in_end(j); ++s)
            expected += (1.0 / g.out_degree(*s)) * initial(*s, k);
          ASSERT_EQ(recv[(j - lo) * width + k], expected) << "n=" << n << " t=" << t << " j=" << j;
        }
    }
  }
}

TEST(Exchange, OneMessagePerNeighbouringRankAndNoCollectives) {
  int ranks = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  const int me = world_rank();
  for (const char* kind : {"random-directed", "one-peer-exponential", "directed-ring"}) {
    const int n = 13, width = 7;
    comm::Exchange exchange(comm::Communicator::world(), n, width);
    const auto& map = exchange.map();
    const int lo = exchange.first_local(), hi = lo + exchange.local_count();
    std::vector<double> send(exchange.local_count() * width + 1, 1.0), recv(send.size());
    graph::Schedule schedule(spec_of(kind), n, 3);
    for (int t = 0; t < 6; ++t) {
      const graph::Digraph& g = schedule.round(t);
      // Expected: for each other rank q, one message with the rows of the distinct local agents
      // that have an out-edge into q.
      std::vector<std::vector<int>> senders(ranks), sources(ranks);
      for (int i = lo; i < hi; ++i)
        for (const int* j = g.out_begin(i); j != g.out_end(i); ++j)
          if (const int q = map.owner(*j); q != me) senders[q].push_back(i);
      for (int j = lo; j < hi; ++j)
        for (const int* s = g.in_begin(j); s != g.in_end(j); ++s)
          if (const int q = map.owner(*s); q != me) sources[q].push_back(*s);
      test::start_recording();
      exchange.push(g, send.data(), recv.data());
      test::stop_recording();
      const auto& calls = test::mpi_calls();
      for (int q = 0; q < ranks; ++q) {
        std::sort(senders[q].begin(), senders[q].end());
        senders[q].erase(std::unique(senders[q].begin(), senders[q].end()), senders[q].end());
        const auto sent = calls.isend_count.find(q);
        const auto received = calls.irecv_count.find(q);
        SCOPED_TRACE(std::string(kind) + " round " + std::to_string(t) + " peer " +
                     std::to_string(q));
        if (senders[q].empty()) {
          EXPECT_EQ(sent, calls.isend_count.end());
        } else {
          ASSERT_NE(sent, calls.isend_count.end());
          EXPECT_EQ(sent->second, 1);
          EXPECT_EQ(calls.isend_bytes.at(q),
                    static_cast<std::int64_t>(senders[q].size()) * width * sizeof(double));
        }
        if (sources[q].empty())
          EXPECT_EQ(received, calls.irecv_count.end());
        else
          EXPECT_EQ(received->second, 1);
      }
      EXPECT_EQ(calls.collectives, 0);
      EXPECT_EQ(calls.probes, 0);
      EXPECT_EQ(calls.blocking_point_to_point, 0);
    }
  }
}

// Push-sum on every generator reaches relative error < 1e-12, conserving Σ ω_i = n every round.
TEST(PushSum, ConvergesOnEveryGeneratorAndConservesWeight) {
  for (const auto& kind : graph::topology_kinds()) {
    for (const int n : {8, 13}) {
      const std::string name = kind.name;
      if (name == "file" && n != 8) continue;  // the shipped example has 8 agents
      SCOPED_TRACE(name + " n=" + std::to_string(n));
      graph::Schedule schedule(spec_of(name), n, 2);
      const auto check = graph::analyze_schedule(schedule, 0, 64);
      ASSERT_NO_THROW(graph::require_b_strongly_connected(check));
      const int dim = 4;
      comm::Exchange exchange(comm::Communicator::world(), n, dim + 1);
      consensus::PushSumAverage push_sum(exchange);
      const int lo = exchange.first_local();
      std::vector<double> mean(dim, 0.0);
      for (int i = 0; i < n; ++i)
        for (int k = 0; k < dim; ++k) mean[k] += initial(i, k) / n;
      for (int i = 0; i < push_sum.local_count(); ++i)
        for (int k = 0; k < dim; ++k) push_sum.value(i)[k] = initial(lo + i, k);
      double scale = 0;
      for (const double m : mean) scale = std::max(scale, std::abs(m));
      double error = 1;
      std::vector<double> estimate(dim);
      int t = 0;
      for (; t < 5000 && error >= 1e-12; ++t) {
        push_sum.round(schedule.round(t));
        double local_error = 0, local_weight = 0, weight = 0;
        for (int i = 0; i < push_sum.local_count(); ++i) {
          push_sum.estimate(i, estimate.data());
          local_weight += push_sum.weight(i);
          for (int k = 0; k < dim; ++k)
            local_error = std::max(local_error, std::abs(estimate[k] - mean[k]) / scale);
        }
        MPI_Allreduce(&local_error, &error, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        MPI_Allreduce(&local_weight, &weight, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
        ASSERT_NEAR(weight, n, 1e-12 * n) << "round " << t;
      }
      EXPECT_LT(error, 1e-12) << "after " << t << " rounds";
    }
  }
}

// Every agent's state after 40 rounds is bitwise the state of a one-rank run of the same agents.
TEST(PushSum, BitwiseIdenticalToOneRank) {
  for (const char* kind : {"random-directed", "one-peer-exponential", "torus"}) {
    for (const int n : {8, 13}) {
      const int dim = 6;
      const auto run = [&](const comm::Communicator& comm, std::vector<double>& out) {
        comm::Exchange exchange(comm, n, dim + 1);
        consensus::PushSumAverage push_sum(exchange);
        const int lo = exchange.first_local();
        for (int i = 0; i < push_sum.local_count(); ++i)
          for (int k = 0; k < dim; ++k) push_sum.value(i)[k] = initial(lo + i, k);
        graph::Schedule schedule(spec_of(kind), n, 9);
        for (int t = 0; t < 40; ++t) push_sum.round(schedule.round(t));
        out.assign(static_cast<std::size_t>(n) * dim, 0.0);
        std::vector<double> estimate(dim);
        for (int i = 0; i < push_sum.local_count(); ++i) {
          push_sum.estimate(i, estimate.data());
          std::copy(estimate.begin(), estimate.end(), out.begin() + (lo + i) * dim);
        }
      };
      std::vector<double> distributed, single;
      run(comm::Communicator::world(), distributed);
      run(comm::Communicator::self(), single);
      int ranks = 1;
      MPI_Comm_size(MPI_COMM_WORLD, &ranks);
      const comm::AgentMap world(n, ranks);
      const int lo = world.first(world_rank()), count = world.count(world_rank());
      EXPECT_EQ(0, std::memcmp(distributed.data() + lo * dim, single.data() + lo * dim,
                               sizeof(double) * count * dim))
          << kind << " n=" << n;
    }
  }
}

// Vectors pushed together (the blocks of a MessageLayout) mix with the same weights in the same
// order as each pushed alone: every block's estimate is bitwise that of its vector averaged by
// itself, in plain mode and in robust mode under message loss.
TEST(PushSum, BlocksOfOneMessageAverageLikeVectorsPushedAlone) {
  const int n = 13;
  graph::Schedule schedule(spec_of("random-directed"), n, 3);
  consensus::MessageLayout message;  // a | b | ω
  const consensus::Block a = message.add(4), b = message.add(2);
  for (const bool robust : {false, true}) {
    comm::ExchangeOptions options;
    options.robust = robust;
    options.drop = robust ? 0.3 : 0.0;
    options.seed = 5;
    // After 30 rounds, the estimates of block `part` of messages of `width` numbers whose values
    // are coordinates first, first + 1, ... of each agent's initial vector.
    const auto estimates = [&](int width, consensus::Block part, int first) {
      comm::Exchange exchange(comm::Communicator::world(), n, width, options);
      consensus::PushSumAverage push_sum(exchange);
      const int lo = exchange.first_local(), local = push_sum.local_count();
      for (int i = 0; i < local; ++i)
        for (int k = 0; k < push_sum.dim(); ++k) push_sum.value(i)[k] = initial(lo + i, first + k);
      for (int t = 0; t < 30; ++t) push_sum.round(schedule.round(t));
      std::vector<double> out(static_cast<std::size_t>(local) * part.size);
      for (int i = 0; i < local; ++i) push_sum.estimate(i, part, &out[i * part.size]);
      return out;
    };
    EXPECT_EQ(estimates(message.width(), a, 0), estimates(a.size + 1, {0, a.size}, 0)) << robust;
    EXPECT_EQ(estimates(message.width(), b, 0), estimates(b.size + 1, {0, b.size}, a.size))
        << robust;
  }
}

// Max-consensus: after (n − 1)·B rounds every agent holds exactly the global max; one round short
// of n − 1 on a directed ring (B = 1, a max that has to travel n − 1 hops) some agent does not.
TEST(MaxConsensus, ExactAfterFloodingRoundsNotBefore) {
  const int n = 13;
  graph::Schedule schedule(spec_of("directed-ring"), n, 0);
  for (const bool enough : {true, false}) {
    consensus::Gossip gossip(comm::Communicator::world(), schedule);
    std::vector<double> values(gossip.local_count());
    for (int i = 0; i < gossip.local_count(); ++i)
      values[i] =
          gossip.first_local() + i == 1 ? 7.5 : -static_cast<double>(gossip.first_local() + i);
    const std::int64_t rounds = consensus::flooding_rounds(n, 1) - (enough ? 0 : 1);
    consensus::max_consensus(gossip, values, 1, rounds);
    int all_equal = 1;
    for (const double v : values) all_equal &= v == 7.5;
    MPI_Allreduce(MPI_IN_PLACE, &all_equal, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    EXPECT_EQ(all_equal, enough ? 1 : 0) << rounds << " rounds";
  }
}

// Message loss (faults.drop = 0.3): robust push-sum (running sums) reaches the exact average, the
// same bits on every rank count as on one; plain push-sum loses mass and settles on a wrong one.
TEST(PushSum, RobustExactUnderLossPlainBiased) {
  const int n = 13, dim = 3;
  graph::Schedule schedule(spec_of("random-directed"), n, 2);
  std::vector<double> mean(dim, 0.0);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < dim; ++k) mean[k] += initial(i, k) / n;
  for (const bool robust : {true, false}) {
    comm::ExchangeOptions options;
    options.drop = 0.3;
    options.seed = 4;
    options.robust = robust;
    const auto run = [&](const comm::Communicator& comm) {
      comm::Exchange exchange(comm, n, dim + 1, options);
      consensus::PushSumAverage push_sum(exchange);
      for (int i = 0; i < exchange.local_count(); ++i)
        for (int k = 0; k < dim; ++k) push_sum.value(i)[k] = initial(exchange.first_local() + i, k);
      for (int t = 0; t < 200; ++t) push_sum.round(schedule.round(t));
      std::vector<double> estimates(static_cast<std::size_t>(exchange.local_count()) * dim);
      for (int i = 0; i < exchange.local_count(); ++i) push_sum.estimate(i, &estimates[i * dim]);
      return estimates;
    };
    const auto distributed = run(comm::Communicator::world());
    double error = 0;
    for (std::size_t e = 0; e < distributed.size(); ++e)
      error = std::max(error, std::abs(distributed[e] - mean[e % dim]));
    if (robust)
      EXPECT_LT(error, 1e-12);
    else
      EXPECT_GT(error, 1e-3);
    std::vector<double> single;  // the same run by one rank alone
    if (world_rank() == 0) single = run(comm::Communicator::self());
    if (robust && world_rank() == 0)
      EXPECT_EQ(
          0, std::memcmp(distributed.data(), single.data(), sizeof(double) * distributed.size()));
  }
}

// Compressed push-sum (consensus.compress): on every generator Σ_i (w_i, ω_i) stays the starting
// mass to rounding in every round (also under loss in robust mode, where the sender keeps a lost
// share), q8 and q4 get as close to the average as uncompressed push-sum in as many rounds (within
// 2×, or 1e-12), and every agent's state is bitwise that of a one-rank run (the edges' references
// belong to the edge), also under loss.
TEST(PushSum, CompressedConservesMassConvergesAndIsTheSameOnEveryRankCount) {
  const int n = 13, dim = 300;
  std::vector<double> mean(dim, 0.0), total(dim + 1, 0.0);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < dim; ++k) mean[k] += initial(i, k) / n;
  for (const auto& kind : graph::topology_kinds()) {
    if (std::string(kind.name) == "file") continue;  // 8 agents
    graph::Schedule schedule(spec_of(kind.name), n, 2);
    double plain = 0;  // the uncompressed error after the same rounds
    for (const char* name : {"none", "q8", "q4", "randk:60"}) {
      for (const auto& loss : {std::pair{0.0, false}, {0.2, false}, {0.2, true}}) {
        const double drop = loss.first;  // (not a structured binding: the lambda captures it)
        const bool robust = loss.second;
        SCOPED_TRACE(std::string(kind.name) + " " + name + " drop=" + std::to_string(drop) +
                     (robust ? " robust" : ""));
        const bool conserved = drop == 0 || (robust && name[0] != 'n');
        comm::ExchangeOptions options;
        options.compress = comm::parse_compression(name);
        options.compress.step = name[0] == 'r' ? 0.1 : 1;
        options.drop = drop;
        options.robust = robust;
        options.seed = 4;
        double error = 0;
        const auto run = [&](const comm::Communicator& comm) -> std::vector<double> {
          comm::Exchange exchange(comm, n, dim + 1, options);
          consensus::PushSumAverage push_sum(exchange);
          const int lo = exchange.first_local(), local = exchange.local_count();
          for (int i = 0; i < local; ++i)
            for (int k = 0; k < dim; ++k) push_sum.value(i)[k] = initial(lo + i, k);
          for (int t = 0; t < 150; ++t) {
            push_sum.round(schedule.round(t));
            if (!conserved || comm.size() < comm::Communicator::world().size()) continue;
            std::vector<double> mine(dim + 1, 0.0);
            for (int i = 0; i < local; ++i)
              for (int k = 0; k <= dim; ++k) mine[k] += push_sum.value(i)[k];
            MPI_Allreduce(mine.data(), total.data(), dim + 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
            for (int k = 0; k < dim; ++k)
              EXPECT_NEAR(total[k], n * mean[k], 1e-11) << "round " << t << " k=" << k;
            EXPECT_NEAR(total[dim], n, 1e-12) << "round " << t;
          }
          std::vector<double> estimates(static_cast<std::size_t>(local) * dim);
          double local_error = 0;
          for (int i = 0; i < local; ++i) {
            push_sum.estimate(i, &estimates[i * dim]);
            for (int k = 0; k < dim; ++k)
              local_error = std::max(local_error, std::abs(estimates[i * dim + k] - mean[k]));
          }
          MPI_Allreduce(&local_error, &error, 1, MPI_DOUBLE, MPI_MAX, to_mpi(comm));
          return estimates;
        };
        const auto distributed = run(comm::Communicator::world());
        if (drop == 0 && name[0] == 'n') plain = error;
        if (drop == 0 && name[0] == 'q') EXPECT_LT(error, std::max(1e-12, 2 * plain)) << plain;
        const comm::AgentMap world(n, comm::Communicator::world().size());
        std::vector<double> single = run(comm::Communicator::self());
        EXPECT_EQ(0,
                  std::memcmp(distributed.data(), single.data() + world.first(world_rank()) * dim,
                              sizeof(double) * distributed.size()));
      }
    }
  }
}

// A peer that never sends: every rank waiting on it gives up after the timeout with exit code 4
// and a line naming itself, the silent rank, the round and the phase.
// The shared-memory transport gives every round the bits of the messages transport: push-sum
// (lossless and lossy), max, a caller's reduction, and robust rounds (which send messages) between
// max rounds on one exchange, on several graphs and agent counts.
TEST(Exchange, SharedMemoryRoundsEqualMessagesBitForBit) {
  const auto run = [](comm::Transport transport, int n, const std::string& kind, int mode) {
    comm::ExchangeOptions options;
    options.transport = transport;
    options.drop = mode == 1 || mode == 4 ? 0.3 : 0.0;
    options.robust = mode == 4;  // robust push-sum rounds (messages) between max rounds (window)
    options.seed = 3;
    comm::Exchange exchange(comm::Communicator::world(), n, 7, options);
    const int lo = exchange.first_local(), local = exchange.local_count();
    std::vector<double> a(local * 7), b(local * 7);
    for (int i = 0; i < local; ++i)
      for (int k = 0; k < 7; ++k) a[i * 7 + k] = initial(lo + i, k);
    const comm::Reduce first_row = [](const double* const* rows, std::size_t, int width,
                                      double* out) { std::copy_n(rows[0], width, out); };
    graph::Schedule schedule(spec_of(kind), n, 9);
    for (int t = 0; t < 12; ++t) {
      const graph::Digraph& g = schedule.round(t);
      if (mode == 2 || (mode == 4 && t % 3 == 2))
        exchange.push(g, a.data(), b.data(), comm::Combine::max);
      else if (mode == 3)
        exchange.push(g, a.data(), b.data(), first_row);
      else
        exchange.push(g, a.data(), b.data());
      std::swap(a, b);
    }
    return a;
  };
  for (const int n : {4, 9, 16})
    for (const std::string kind : {"random-directed", "one-peer-exponential", "directed-ring"})
      for (int mode = 0; mode < 5; ++mode) {
        const auto by_messages = run(comm::Transport::messages, n, kind, mode);
        const auto shared = run(comm::Transport::shared, n, kind, mode);
        ASSERT_EQ(
            std::memcmp(by_messages.data(), shared.data(), by_messages.size() * sizeof(double)), 0)
            << "n=" << n << " " << kind << " mode " << mode;
      }
}

TEST(Exchange, SilentPeerEndsTheWaitWithExitCode4) {
  int ranks = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  if (ranks < 2) GTEST_SKIP() << "needs 2 ranks";
  const int me = world_rank(), silent = ranks - 1;
  comm::ExchangeOptions options;
  options.timeout = 0.2;
  comm::Position position{7, "test phase"};
  {
    comm::Exchange exchange(comm::Communicator::world(), ranks, 2, options, &position);
    graph::Schedule schedule(spec_of("complete"), ranks, 0);
    std::vector<double> send(2, 1.0), recv(2);  // one agent per rank, every rank sends to all
    if (me != silent) {
      try {
        exchange.push(schedule.round(0), send.data(), recv.data());
        ADD_FAILURE() << "the wait for a silent peer returned";
      } catch (const Error& e) {
        EXPECT_EQ(e.exit_code(), kExitDeadPeer);
        EXPECT_EQ(std::string(e.what()), "rank " + std::to_string(me) +
                                             " got no message from rank " + std::to_string(silent) +
                                             " for 0.2 s at round 7 (test phase); is it alive?");
      }
    }
    // Take the messages the others sent the silent rank, so that none is left in flight for a
    // later communicator that reuses this one's context.
    MPI_Barrier(MPI_COMM_WORLD);
    if (me == silent)
      for (int q = 0; q < ranks; ++q)
        if (q != me)
          MPI_Recv(recv.data(), 2, MPI_DOUBLE, q, 0, comm::to_mpi(exchange.comm()),
                   MPI_STATUS_IGNORE);
  }
  MPI_Barrier(MPI_COMM_WORLD);
}

}  // namespace
}  // namespace hyperpush
