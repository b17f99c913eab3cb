#include "hyperpush/consensus/async_push_sum.hpp"

#include <algorithm>
#include <thread>

#include "hyperpush/stopwatch.hpp"

namespace hyperpush::consensus {

AsyncPushSum::AsyncPushSum(comm::Mailbox& mailbox)
    : mailbox_(mailbox),
      dim_(mailbox.width() - 1),
      state_(static_cast<std::size_t>(mailbox.local_count()) * mailbox.width(), 0.0),
      shares_(state_.size()),
      traffic_(mailbox.local_count()) {
  for (int i = 0; i < local_count(); ++i) state_[row(i) + dim_] = 1.0;
}

void AsyncPushSum::estimate(int local, double* out) const {
  const double* w = value(local);
  const double omega = weight(local);
  std::transform(w, w + dim_, out, [omega](double v) { return v / omega; });
}

void AsyncPushSum::round(const graph::Digraph& g) {
  const auto start = Clock::now();
  const int lo = mailbox_.first_local(), hi = lo + local_count(), width = dim_ + 1;
  mailbox_.flush();  // the previous round's shares have left: shares_ may be rewritten
  for (int i = lo; i < hi; ++i) {
    const double p = 1.0 / g.out_degree(i);
    const double* w = value(i - lo);
    double* share = shares_.data() + row(i - lo);
    for (int k = 0; k < width; ++k) share[k] = p * w[k];
    comm::AgentTraffic& traffic = traffic_[i - lo];
    traffic.messages += g.out_degree(i) - 1;
    traffic.bytes += static_cast<std::int64_t>(g.out_degree(i) - 1) * width * sizeof(double);
  }
  // Remote shares first (they travel while the local ones are added), then w_j ← Σ of the local
  // in-neighbours' shares in ascending sender order, then whatever the inboxes hold.
  for (int i = lo; i < hi; ++i)
    for (const int* j = g.out_begin(i); j != g.out_end(i); ++j)
      if (*j < lo || *j >= hi) mailbox_.send(*j, shares_.data() + row(i - lo));
  std::fill(state_.begin(), state_.end(), 0.0);
  for (int i = lo; i < hi; ++i) {
    const double* share = shares_.data() + row(i - lo);
    for (const int* j = g.out_begin(i); j != g.out_end(i); ++j) {
      if (*j < lo || *j >= hi) continue;
      double* w = value(*j - lo);
      for (int k = 0; k < width; ++k) w[k] += share[k];
    }
  }
  mailbox_.take(state_.data());
  comm::straggle(mailbox_.options(), mailbox_.rank(), seconds_since(start));
}

void AsyncPushSum::drain() {
  mailbox_.settle();
  mailbox_.take(state_.data());
}

std::int64_t AsyncPushSum::run(graph::Schedule& schedule, std::int64_t rounds,
                               const std::function<void(std::int64_t)>& after_round) {
  std::int64_t t = 0;
  for (;; ++t) {
    if (t == rounds) mailbox_.finish();
    if (t >= rounds && mailbox_.everyone_finished()) break;
    round(schedule.round(t));
    if (after_round) after_round(t + 1);
    if (mailbox_.oversubscribed()) std::this_thread::yield();
  }
  drain();
  return t;
}

}  // namespace hyperpush::consensus
