// Asynchronous push-sum on 1, 2 and 4 ranks: on one rank it is push-sum; on more, with a rank
// slowed 3×, no mass is lost or created and every agent reaches the exact average.
#include "hyperpush/consensus/async_push_sum.hpp"

#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <vector>

#include "hyperpush/comm/mailbox.hpp"
#include "hyperpush/comm/mpi_communicator.hpp"
#include "hyperpush/consensus/push_sum.hpp"
#include "hyperpush/graph/schedule.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush {
namespace {

double initial(int agent, int k) { return random_normal(23, Purpose::initial_value, agent, k, 0); }

graph::TopologySpec spec_of(const char* kind) {
  graph::TopologySpec spec;
  spec.kind = kind;
  return spec;
}

TEST(AsyncPushSum, OnOneRankItIsPushSum) {
  const int n = 8, dim = 5;
  const comm::Communicator self = comm::Communicator::self();
  comm::Exchange exchange(self, n, dim + 1);
  consensus::PushSumAverage sync(exchange);
  comm::Mailbox mailbox(self, n, dim + 1);
  consensus::AsyncPushSum async(mailbox);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < dim; ++k) sync.value(i)[k] = async.value(i)[k] = initial(i, k);
  graph::Schedule schedule(spec_of("random-directed"), n, 4);
  for (int t = 0; t < 30; ++t) {
    sync.round(schedule.round(t));
    async.round(schedule.round(t));
  }
  for (int i = 0; i < n; ++i) {
    // The same sums in the same order (a compiler may still fuse a multiply-add differently).
    for (int k = 0; k < dim; ++k)
      EXPECT_NEAR(async.value(i)[k], sync.value(i)[k], 1e-15 * std::abs(sync.value(i)[k]));
    EXPECT_NEAR(async.weight(i), sync.weight(i), 1e-15 * sync.weight(i));
  }
}

// Every rank runs its own rounds; the last rank sleeps twice its round time after each. Checked
// after drain(): Σ w_i and Σ ω_i over all agents are what they were (mass conservation, up to the
// rounding of each take, ~1e-16 of an inbox), and every w_i/ω_i is the true mean to 1e-10. Mass
// piles up at a straggler, which then moves slowly: 1,000 of its rounds, where 300 reach 1e-10
// on an idle machine but not always on a loaded one.
TEST(AsyncPushSum, ExactWithAStragglerAndNoMassLost) {
  int ranks = 1, rank = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  for (const char* kind : {"random-directed", "one-peer-exponential"}) {
    const int n = 3 * ranks + 1, dim = 4;
    comm::ExchangeOptions options;
    options.slow_rank = ranks - 1;
    options.slow_factor = 3;
    comm::Mailbox mailbox(comm::Communicator::world(), n, dim + 1, options);
    consensus::AsyncPushSum push_sum(mailbox);
    const int lo = mailbox.first_local();
    std::vector<double> mean(dim, 0.0);
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < dim; ++k) mean[k] += initial(i, k) / n;
    for (int i = 0; i < push_sum.local_count(); ++i)
      for (int k = 0; k < dim; ++k) push_sum.value(i)[k] = initial(lo + i, k);
    graph::Schedule schedule(spec_of(kind), n, 6);
    const std::int64_t rounds = push_sum.run(schedule, 1000);
    EXPECT_GE(rounds, 1000);

    std::vector<double> mass(dim + 1, 0.0);  // Σ w_i, Σ ω_i
    std::vector<double> estimate(dim);
    for (int i = 0; i < push_sum.local_count(); ++i) {
      for (int k = 0; k < dim; ++k) mass[k] += push_sum.value(i)[k];
      mass[dim] += push_sum.weight(i);
      push_sum.estimate(i, estimate.data());
      for (int k = 0; k < dim; ++k)
        EXPECT_NEAR(estimate[k], mean[k], 1e-10) << kind << " agent " << lo + i << " k " << k;
    }
    MPI_Allreduce(MPI_IN_PLACE, mass.data(), dim + 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    for (int k = 0; k < dim; ++k) EXPECT_NEAR(mass[k], n * mean[k], 1e-10) << kind << " k " << k;
    EXPECT_NEAR(mass[dim], n, 1e-10) << kind;
  }
}

}  // namespace
}  // namespace hyperpush
