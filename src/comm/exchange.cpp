#include "hyperpush/comm/exchange.hpp"

#include <algorithm>
#include <climits>
#include <string>

#include "hyperpush/error.hpp"

namespace hyperpush::comm {
namespace {

int comm_rank(MPI_Comm comm) {
  int r = 0;
  MPI_Comm_rank(comm, &r);
  return r;
}

int comm_size(MPI_Comm comm) {
  int p = 0;
  MPI_Comm_size(comm, &p);
  return p;
}

// out = Σ_s w[s] · rows[s], added left to right in the given (sender-id) order. Blocked so the
// accumulator stays in L1 while each input streams through once: one pass over the inputs and one
// write of the output, whatever the in-degree.
void weighted_sum(const double* const* rows, const double* w, std::size_t k, int width,
                  double* __restrict out) {
  if (k == 2) {  // the common case (self + one peer), fused: same rounding as the blocked loop
    const double* a = rows[0];
    const double* b = rows[1];
    const double wa = w[0], wb = w[1];
    for (int x = 0; x < width; ++x) out[x] = wa * a[x] + wb * b[x];
    return;
  }
  // Blocks keep the accumulator in L1; within a block up to four senders are added per pass, each
  // element still summed strictly left to right (so the bits do not depend on the grouping).
  constexpr int kBlock = 512;
  for (int lo = 0; lo < width; lo += kBlock) {
    const int hi = std::min(width, lo + kBlock);
    const double* r0 = rows[0];
    const double w0 = w[0];
    for (int x = lo; x < hi; ++x) out[x] = w0 * r0[x];
    std::size_t s = 1;
    for (; s + 4 <= k; s += 4) {
      const double *a = rows[s], *b = rows[s + 1], *c = rows[s + 2], *e = rows[s + 3];
      const double wa = w[s], wb = w[s + 1], wc = w[s + 2], we = w[s + 3];
      for (int x = lo; x < hi; ++x)
        out[x] = (((out[x] + wa * a[x]) + wb * b[x]) + wc * c[x]) + we * e[x];
    }
    for (; s < k; ++s) {
      const double* r = rows[s];
      const double ws = w[s];
      for (int x = lo; x < hi; ++x) out[x] += ws * r[x];
    }
  }
}

// out = max_s rows[s], elementwise.
void elementwise_max(const double* const* rows, std::size_t k, int width, double* __restrict out) {
  std::copy_n(rows[0], width, out);
  for (std::size_t s = 1; s < k; ++s)
    for (int x = 0; x < width; ++x) out[x] = std::max(out[x], rows[s][x]);
}

}  // namespace

Exchange::Exchange(MPI_Comm comm, int agents, int width)
    : rank_(comm_rank(comm)), map_(agents, comm_size(comm)), width_(width) {
  if (width < 1)
    throw Error("exchange: message width must be at least 1, got " + std::to_string(width));
  MPI_Comm_dup(comm, &comm_);
  const int ranks = map_.ranks();
  send_agents_.resize(ranks);
  recv_agents_.resize(ranks);
  rank_stamp_.assign(2 * static_cast<std::size_t>(ranks), -1);  // [send side | receive side]
  agent_stamp_.assign(agents, -1);
  recv_offset_.assign(agents, 0);
  traffic_.resize(local_count());
}

Exchange::~Exchange() {
  if (comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
}

void Exchange::plan(const graph::Digraph& g) {
  ++round_;
  const int lo = first_local(), hi = lo + local_count();
  const int ranks = map_.ranks();
  dest_ranks_.clear();
  source_ranks_.clear();
  // Senders: which of my agents reach which other ranks (ascending i, so lists come out sorted).
  for (int i = lo; i < hi; ++i) {
    for (const int* j = g.out_begin(i); j != g.out_end(i); ++j) {
      if (*j >= lo && *j < hi) continue;
      const int q = map_.owner(*j);
      if (rank_stamp_[q] != round_) {
        rank_stamp_[q] = round_;
        dest_ranks_.push_back(q);
        send_agents_[q].clear();
      }
      if (send_agents_[q].empty() || send_agents_[q].back() != i) send_agents_[q].push_back(i);
    }
  }
  // Receivers: which remote agents send to any of mine, grouped by their rank.
  for (int j = lo; j < hi; ++j) {
    for (const int* s = g.in_begin(j); s != g.in_end(j); ++s) {
      if (*s >= lo && *s < hi) continue;
      const int q = map_.owner(*s);
      if (rank_stamp_[ranks + q] != round_) {
        rank_stamp_[ranks + q] = round_;
        source_ranks_.push_back(q);
        recv_agents_[q].clear();
      }
      if (agent_stamp_[*s] != round_) {
        agent_stamp_[*s] = round_;
        recv_agents_[q].push_back(*s);
      }
    }
  }
  std::sort(dest_ranks_.begin(), dest_ranks_.end());
  std::sort(source_ranks_.begin(), source_ranks_.end());
  // The sender packs its rows in ascending agent order; the receiver expects the same order.
  std::int64_t rows = 0;
  for (const int q : source_ranks_) {
    auto& senders = recv_agents_[q];
    std::sort(senders.begin(), senders.end());
    for (const int s : senders) recv_offset_[s] = rows++;
  }
  if (recv_buffer_.size() < static_cast<std::size_t>(rows) * width_)
    recv_buffer_.resize(rows * width_);
}

void Exchange::push(const graph::Digraph& g, const double* send, double* recv, Combine combine) {
  run_round(g, send, recv, combine, nullptr);
}

void Exchange::push(const graph::Digraph& g, const double* send, double* recv,
                    const Reduce& reduce) {
  run_round(g, send, recv, Combine::max, &reduce);
}

void Exchange::run_round(const graph::Digraph& g, const double* send, double* recv, Combine combine,
                         const Reduce* custom) {
  if (g.agents() != map_.agents())
    throw Error("exchange: graph has " + std::to_string(g.agents()) + " agents, the run has " +
                std::to_string(map_.agents()));
  plan(g);
  const int lo = first_local(), hi = lo + local_count();
  const auto row_count = [&](std::size_t n) {
    const std::int64_t count = static_cast<std::int64_t>(n) * width_;
    if (count > INT_MAX) throw Error("exchange: one round's message exceeds 2^31 numbers");
    return static_cast<int>(count);
  };

  // Post receives, then sends: one message per peer rank.
  requests_.clear();
  for (const int q : source_ranks_) {
    double* first = recv_buffer_.data() + recv_offset_[recv_agents_[q].front()] * width_;
    requests_.emplace_back();
    MPI_Irecv(first, row_count(recv_agents_[q].size()), MPI_DOUBLE, q, 0, comm_, &requests_.back());
  }
  std::size_t packed = 0;
  for (const int q : dest_ranks_) packed += send_agents_[q].size();
  if (send_buffer_.size() < packed * width_) send_buffer_.resize(packed * width_);
  double* pack = send_buffer_.data();
  for (const int q : dest_ranks_) {
    const auto& senders = send_agents_[q];
    const double* rows = send + static_cast<std::size_t>(senders.front() - lo) * width_;
    // Contiguous senders (always so with one agent per rank) go straight from the caller's rows.
    if (senders.back() - senders.front() + 1 != static_cast<int>(senders.size())) {
      double* start = pack;
      for (const int i : senders) {
        pack = std::copy_n(send + static_cast<std::size_t>(i - lo) * width_, width_, pack);
      }
      rows = start;
    }
    const int count = row_count(senders.size());
    requests_.emplace_back();
    MPI_Isend(rows, count, MPI_DOUBLE, q, 0, comm_, &requests_.back());
    ++wire_.messages;
    wire_.bytes += static_cast<std::int64_t>(count) * sizeof(double);
  }

  // recv[j] = Σ_{s ∈ in(j)} p_js send[s] (or the max); receivers fed only by local agents go while
  // messages fly.
  const auto reduce = [&](int j, bool remote_ready) {
    rows_.clear();
    weights_.clear();
    for (const int* s = g.in_begin(j); s != g.in_end(j); ++s) {
      if (*s >= lo && *s < hi) {
        rows_.push_back(send + static_cast<std::size_t>(*s - lo) * width_);
      } else {
        if (!remote_ready) return false;
        rows_.push_back(recv_buffer_.data() + recv_offset_[*s] * width_);
      }
      weights_.push_back(1.0 / g.out_degree(*s));
    }
    double* out = recv + static_cast<std::size_t>(j - lo) * width_;
    if (custom != nullptr)
      (*custom)(rows_.data(), rows_.size(), width_, out);
    else if (combine == Combine::max)
      elementwise_max(rows_.data(), rows_.size(), width_, out);
    else
      weighted_sum(rows_.data(), weights_.data(), rows_.size(), width_, out);
    return true;
  };
  done_.assign(hi - lo, 0);
  for (int j = lo; j < hi; ++j) done_[j - lo] = reduce(j, false);
  MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
  for (int j = lo; j < hi; ++j)
    if (!done_[j - lo]) reduce(j, true);

  for (int i = lo; i < hi; ++i) {
    const int peers = g.out_degree(i) - 1;
    traffic_[i - lo].messages += peers;
    traffic_[i - lo].bytes += static_cast<std::int64_t>(peers) * width_ * sizeof(double);
  }
}

}  // namespace hyperpush::comm
