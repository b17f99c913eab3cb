#include "hyperpush/comm/exchange.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>

#include "hyperpush/comm/mpi_communicator.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/kernel_clones.hpp"
#include "hyperpush/random.hpp"
#include "hyperpush/stopwatch.hpp"
#include "shared_rows.hpp"

namespace hyperpush::comm {

struct Exchange::Requests {
  std::vector<MPI_Request> list;
};

namespace {

// out = Σ_s w[s] · rows[s], added left to right in the given (sender-id) order. Blocked so the
// accumulator stays in L1 while each input streams through once: one pass over the inputs and one
// write of the output, whatever the in-degree. Built per instruction set (kernel_clones.hpp).
HYPERPUSH_KERNEL_CLONES
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

// "rank 3", "ranks 1 and 3", "ranks 1, 3 and 5".
std::string rank_list(const std::vector<int>& ranks) {
  std::string out = ranks.size() == 1 ? "rank " : "ranks ";
  for (std::size_t k = 0; k < ranks.size(); ++k) {
    if (k > 0) out += k + 1 == ranks.size() ? " and " : ", ";
    out += std::to_string(ranks[k]);
  }
  return out;
}

// A waiting rank polls: it spins at first (a round's messages usually come within microseconds,
// and large ones make progress only while MPI is called), then yields the core, then sleeps, so a
// long wait for a slow peer costs next to no CPU.
constexpr double kSpinSeconds = 0.02, kYieldSeconds = 1.0;
constexpr auto kSleep = std::chrono::milliseconds(1);

}  // namespace

Exchange::Exchange(const Communicator& comm, int agents, int width, const ExchangeOptions& options,
                   Position* position)
    : comm_(comm),
      rank_(comm.rank()),
      map_(agents, comm.size()),
      width_(width),
      wire_width_(width),
      options_(options),
      position_(position != nullptr ? position : &own_position_) {
  if (width < 1)
    throw Error("exchange: message width must be at least 1, got " + std::to_string(width));
  if (!(options.timeout > 0))
    throw Error("exchange: the timeout must be positive, got " + std::to_string(options.timeout));
  if (!(options.drop >= 0 && options.drop < 1))
    throw Error("exchange: the loss probability must be in [0, 1), got " +
                std::to_string(options.drop));
  if (options.compress.enabled()) {
    if (width < 2)
      throw std::logic_error("exchange: a compressed message needs a weight and a number");
    codec_ = std::make_unique<Codec>(options.compress, width - 1, options.seed);
    wire_width_ = static_cast<int>((sizeof(double) + codec_->bytes() + 7) / sizeof(double));
  }
  MPI_Comm own;
  MPI_Comm_dup(to_mpi(comm), &own);
  comm_ = from_mpi(own);
  requests_ = std::make_unique<Requests>();
  const int ranks = map_.ranks();
  send_agents_.resize(ranks);
  recv_agents_.resize(ranks);
  rank_stamp_.assign(2 * static_cast<std::size_t>(ranks), -1);  // [send side | receive side]
  agent_stamp_.assign(agents, -1);
  recv_offset_.assign(agents, 0);
  traffic_.resize(local_count());
  if (options.transport != Transport::messages) {
    std::vector<int> rows(ranks);
    for (int q = 0; q < ranks; ++q) rows[q] = map_.count(q);
    shared_ = SharedRows::open(own, rows, width);
    oversubscribed_ = shared_ && static_cast<unsigned>(ranks) > std::thread::hardware_concurrency();
    if (!shared_ && options.transport == Transport::shared)
      throw Error(
          "comm.transport = \"shared\": the ranks are not all on one node, or MPI could not "
          "allocate a shared-memory window (/dev/shm too small?); valid here: auto or messages",
          kExitBadInput, true);
  }
}

Exchange::~Exchange() {
  shared_.reset();  // its window before the communicator
  MPI_Comm own = to_mpi(comm_);
  MPI_Comm_free(&own);
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
}

void straggle(const ExchangeOptions& options, int rank, double round_seconds) {
  if (rank == options.slow_rank && options.slow_factor > 1)
    std::this_thread::sleep_for(
        std::chrono::duration<double>((options.slow_factor - 1) * round_seconds));
}

void Exchange::push(const graph::Digraph& g, const double* send, double* recv, Combine combine) {
  const auto start = Clock::now();
  if (codec_ && combine == Combine::push_sum)  // robust or not
    run_compressed_round(g, send, recv);
  else if (options_.robust && combine == Combine::push_sum)
    run_robust_round(g, send, recv);
  else
    run_round(g, send, recv, combine, nullptr);
  end_push(start);
}

void Exchange::push(const graph::Digraph& g, const double* send, double* recv,
                    const Reduce& reduce) {
  const auto start = Clock::now();
  run_round(g, send, recv, Combine::max, &reduce);
  end_push(start);
}

void Exchange::end_push(std::chrono::steady_clock::time_point start) {
  const double seconds = seconds_since(start);
  straggle(options_, rank_, seconds);
  position_->push_seconds += seconds;
}

void Exchange::restart() {
  if (codec_) return;  // references carry no mass: a new averaging starts from them
  std::fill(sent_pool_.begin(), sent_pool_.end(), 0.0);
  std::fill(seen_pool_.begin(), seen_pool_.end(), 0.0);
}

std::vector<double> Exchange::agent_state(int local) const {
  const std::int64_t agent = first_local() + local, n = map_.agents();
  std::vector<double> row{static_cast<double>(traffic_[local].messages),
                          static_cast<double>(traffic_[local].bytes)};
  // The sums of the edges with `agent` at `end` (the sender: 0, the receiver: 1), by the other end.
  const auto edges = [&](const std::unordered_map<std::int64_t, std::size_t>& index,
                         const std::vector<double>& pool, bool receiver) {
    std::vector<std::pair<std::int64_t, std::size_t>> mine;  // (other end, pool offset)
    for (const auto& [edge, at] : index) {
      const std::int64_t from = edge / n, to = edge % n;
      if ((receiver ? to : from) == agent) mine.emplace_back(receiver ? from : to, at);
    }
    std::sort(mine.begin(), mine.end());
    row.push_back(static_cast<double>(mine.size()));
    for (const auto& [other, at] : mine) {
      row.push_back(static_cast<double>(other));
      row.insert(row.end(), pool.begin() + at, pool.begin() + at + width_);
    }
  };
  edges(sent_index_, sent_pool_, false);
  edges(seen_index_, seen_pool_, true);
  return row;
}

void Exchange::restore_agent(int local, const std::vector<double>& row) {
  const int agent = first_local() + local, n = map_.agents();
  const auto refuse = [] { throw Error("checkpoint: an exchange state of another shape"); };
  std::size_t at = 2;
  if (row.size() < at) refuse();
  traffic_[local] = {static_cast<std::int64_t>(row[0]), static_cast<std::int64_t>(row[1])};
  for (const bool receiver : {false, true}) {
    if (at >= row.size()) refuse();
    const double count = row[at++];
    if (!(count >= 0 && count * (width_ + 1) <= static_cast<double>(row.size() - at))) refuse();
    for (std::int64_t e = 0; e < static_cast<std::int64_t>(count); ++e, at += width_ + 1) {
      const double other = row[at];
      if (!(other >= 0 && other < n)) refuse();
      const int peer = static_cast<int>(other);
      double* sum = receiver ? running_sum(seen_index_, seen_pool_, peer, agent)
                             : running_sum(sent_index_, sent_pool_, agent, peer);
      std::copy_n(row.begin() + at + 1, width_, sum);
    }
  }
  if (at != row.size()) refuse();
}

void Exchange::begin_round(const graph::Digraph& g) {
  if (g.agents() != map_.agents())
    throw Error("exchange: graph has " + std::to_string(g.agents()) + " agents, the run has " +
                std::to_string(map_.agents()));
  if (rank_ == options_.stall_rank && position_->round >= options_.stall_round)
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));  // the fault hook: a hung node
  plan(g);
  requests_->list.clear();
  request_peer_.clear();
}

bool Exchange::lost(int sender, int receiver) const {
  return random_uniform(options_.seed, Purpose::fault, static_cast<std::uint64_t>(sender),
                        static_cast<std::uint64_t>(receiver),
                        static_cast<std::uint64_t>(position_->round)) < options_.drop;
}

int Exchange::row_count(std::size_t rows) const {
  const std::int64_t count = static_cast<std::int64_t>(rows) * wire_width_;
  if (count > INT_MAX) throw Error("exchange: one round's message exceeds 2^31 numbers");
  return static_cast<int>(count);
}

void Exchange::post_receive(int q, double* rows, std::size_t count) {
  requests_->list.emplace_back();
  request_peer_.push_back(q);
  MPI_Irecv(rows, row_count(count), MPI_DOUBLE, q, 0, to_mpi(comm_), &requests_->list.back());
}

void Exchange::post_send(int q, const double* rows, std::size_t count) {
  const int numbers = row_count(count);
  requests_->list.emplace_back();
  request_peer_.push_back(-1 - q);  // a send: ranks below zero
  MPI_Isend(rows, numbers, MPI_DOUBLE, q, 0, to_mpi(comm_), &requests_->list.back());
  ++wire_.messages;
  wire_.bytes += static_cast<std::int64_t>(numbers) * sizeof(double);
}

void Exchange::poll(const std::function<bool()>& ready, const std::function<void()>& on_timeout) {
  if (ready()) return;
  const auto start = Clock::now();
  for (std::int64_t polls = 1;; ++polls) {
    if (ready()) return;
    if (polls % 16 != 0) continue;                   // the clock is read every 16 polls
    if (oversubscribed_) std::this_thread::yield();  // the awaited rank may need this core
    const double waited = seconds_since(start);
    if (waited >= options_.timeout) on_timeout();
    if (waited >= kYieldSeconds)
      std::this_thread::sleep_for(kSleep);
    else if (waited >= kSpinSeconds)
      std::this_thread::yield();
  }
}

void Exchange::wait_all() {
  const int count = static_cast<int>(requests_->list.size());
  poll(
      [&] {
        int done = 0;
        MPI_Testall(count, requests_->list.data(), &done, MPI_STATUSES_IGNORE);
        return done != 0;
      },
      [&] { fail_silent_peers(); });
}

void Exchange::fail_silent_peers() {
  // Which requests are still open: the peers of those are the silent ones. Open receives are
  // cancelled, open sends released, so nothing writes into this rank's buffers any more.
  std::vector<int> silent, unreached;
  for (std::size_t k = 0; k < requests_->list.size(); ++k) {
    int done = 0;
    MPI_Test(&requests_->list[k], &done, MPI_STATUS_IGNORE);
    if (done) continue;
    const int peer = request_peer_[k];
    if (peer >= 0) {
      silent.push_back(peer);
      MPI_Cancel(&requests_->list[k]);
    } else {
      unreached.push_back(-1 - peer);
    }
    MPI_Request_free(&requests_->list[k]);
  }
  fail(silent, unreached);
}

void Exchange::fail(const std::vector<int>& silent, const std::vector<int>& unreached) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%g", options_.timeout);
  const std::string where = " for " + std::string(seconds) + " s at round " +
                            std::to_string(position_->round) + " (" + position_->phase +
                            "); is it alive?";
  const std::string me = "rank " + std::to_string(rank_);
  if (!silent.empty())
    throw Error(me + " got no message from " + rank_list(silent) + where, kExitDeadPeer);
  throw Error(me + " could not deliver its message to " + rank_list(unreached) + where,
              kExitDeadPeer);
}

void Exchange::count_traffic(const graph::Digraph& g) {
  const int lo = first_local(), hi = lo + local_count();
  for (int i = lo; i < hi; ++i) {
    const int peers = g.out_degree(i) - 1;
    traffic_[i - lo].messages += peers;
    traffic_[i - lo].bytes += static_cast<std::int64_t>(peers) * wire_width_ * sizeof(double);
  }
  if (position_ == &own_position_) ++own_position_.round;
}

void Exchange::run_round(const graph::Digraph& g, const double* send, double* recv, Combine combine,
                         const Reduce* custom) {
  begin_round(g);
  const int lo = first_local(), hi = lo + local_count();
  if (shared_)
    share_rows(send);
  else
    post_messages(send);

  // recv[j] = Σ_{s ∈ in(j)} p_js send[s] (or the max); receivers fed only by local agents go while
  // the peers' rows arrive. A lost message (faults.drop) is left out of the sum: its mass is gone.
  const bool lossy = options_.drop > 0 && custom == nullptr && combine == Combine::push_sum;
  const auto reduce = [&](int j, bool remote_ready) {
    rows_.clear();
    weights_.clear();
    for (const int* s = g.in_begin(j); s != g.in_end(j); ++s) {
      if (lossy && *s != j && lost(*s, j)) continue;
      if (*s >= lo && *s < hi) {
        rows_.push_back(send + static_cast<std::size_t>(*s - lo) * width_);
      } else {
        if (!remote_ready) return false;
        rows_.push_back(remote_row(*s));
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
  if (shared_)
    wait_for_shared_rows();
  else
    wait_all();
  for (int j = lo; j < hi; ++j)
    if (!done_[j - lo]) reduce(j, true);
  if (shared_)
    for (const int q : source_ranks_) shared_->done_reading(q, round_);
  count_traffic(g);
}

// Messages: one per peer rank, the sender's rows packed in ascending agent order (the receiver
// expects the same order).
void Exchange::post_messages(const double* send) {
  const int lo = first_local();
  std::int64_t rows = 0;
  for (const int q : source_ranks_) {
    auto& senders = recv_agents_[q];
    std::sort(senders.begin(), senders.end());
    for (const int s : senders) recv_offset_[s] = rows++;
  }
  if (recv_buffer_.size() < static_cast<std::size_t>(rows) * width_)
    recv_buffer_.resize(rows * width_);
  for (const int q : source_ranks_)
    post_receive(q, recv_buffer_.data() + recv_offset_[recv_agents_[q].front()] * width_,
                 recv_agents_[q].size());
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
    post_send(q, rows, senders.size());
  }
}

// Shared memory: the rows go into this rank's slot of the round, once the readers of the round
// that last used the slot are done with it, and are published; no message.
void Exchange::share_rows(const double* send) {
  const std::int64_t r = round_;
  SlotReaders& last = readers_[r % 2];  // who read the slot when it was last published
  if (!last.ranks.empty()) {
    const auto done = [&](int q) { return shared_->read(q, last.round); };
    poll([&] { return std::all_of(last.ranks.begin(), last.ranks.end(), done); },
         [&] {
           std::vector<int> waiting;
           for (const int q : last.ranks)
             if (!done(q)) waiting.push_back(q);
           fail({}, waiting);
         });
  }
  if (!dest_ranks_.empty()) {
    double* slot = shared_->own(r);
    if (slot != send) std::copy_n(send, static_cast<std::size_t>(local_count()) * width_, slot);
    shared_->publish(r);
  }
  last = {r, dest_ranks_};
}

void Exchange::wait_for_shared_rows() {
  const std::int64_t r = round_;
  poll(
      [&] {
        return std::all_of(source_ranks_.begin(), source_ranks_.end(),
                           [&](int q) { return shared_->published(q, r); });
      },
      [&] {
        std::vector<int> silent;
        for (const int q : source_ranks_)
          if (!shared_->published(q, r)) silent.push_back(q);
        fail(silent, {});
      });
}

const double* Exchange::remote_row(int sender) const {
  if (!shared_) return recv_buffer_.data() + recv_offset_[sender] * width_;
  const int q = map_.owner(sender);
  return shared_->rows(q, round_) + static_cast<std::size_t>(sender - map_.first(q)) * width_;
}

double* Exchange::running_sum(std::unordered_map<std::int64_t, std::size_t>& index,
                              std::vector<double>& pool, int from, int to) {
  const std::int64_t edge = static_cast<std::int64_t>(from) * map_.agents() + to;
  const auto [it, added] = index.try_emplace(edge, pool.size());
  if (added) pool.resize(pool.size() + width_, 0.0);
  return pool.data() + it->second;
}

void Exchange::run_robust_round(const graph::Digraph& g, const double* send, double* recv) {
  begin_round(g);
  add_to_running_sums(g, send);
  post_running_sum_receives(g);
  send_running_sums();
  wait_all();
  take_running_sums(g, send, recv);
  count_traffic(g);
}

bool Exchange::is_local(int agent) const {
  return agent >= first_local() && agent < first_local() + local_count();
}

// σ_ji += p_ji x_i on every out-edge of a local sender (a self-loop keeps its share in place);
// out_edges_: the edges to other ranks.
void Exchange::add_to_running_sums(const graph::Digraph& g, const double* send) {
  const int lo = first_local(), hi = lo + local_count();
  out_edges_.clear();
  for (int i = lo; i < hi; ++i) {
    const double p = 1.0 / g.out_degree(i);
    const double* x = send + static_cast<std::size_t>(i - lo) * width_;
    for (const int* j = g.out_begin(i); j != g.out_end(i); ++j) {
      if (*j == i) continue;
      double* sigma = running_sum(sent_index_, sent_pool_, i, *j);
      for (int k = 0; k < width_; ++k) sigma[k] += p * x[k];
      if (!is_local(*j)) out_edges_.emplace_back(*j, i);
    }
  }
}

// One row σ_ji per cross-rank edge; a peer rank's rows ordered by (receiver, sender), which is
// also the order in which a receiver walks its in-lists. in_rows_: each in-edge's row, or -1.
void Exchange::post_running_sum_receives(const graph::Digraph& g) {
  const int lo = first_local(), hi = lo + local_count();
  rank_rows_.assign(map_.ranks(), 0);
  for (int j = lo; j < hi; ++j)
    for (const int* s = g.in_begin(j); s != g.in_end(j); ++s)
      if (!is_local(*s)) ++rank_rows_[map_.owner(*s)];
  std::int64_t rows = 0;
  for (const int q : source_ranks_) {  // counts → offsets
    const std::int64_t count = rank_rows_[q];
    rank_rows_[q] = rows;
    rows += count;
  }
  if (recv_buffer_.size() < static_cast<std::size_t>(rows) * wire_width_)
    recv_buffer_.resize(rows * wire_width_);
  for (std::size_t k = 0; k < source_ranks_.size(); ++k) {
    const int q = source_ranks_[k];
    const std::int64_t end = k + 1 < source_ranks_.size() ? rank_rows_[source_ranks_[k + 1]] : rows;
    post_receive(q, recv_buffer_.data() + rank_rows_[q] * wire_width_,
                 static_cast<std::size_t>(end - rank_rows_[q]));
  }
  in_rows_.clear();
  for (int j = lo; j < hi; ++j)
    for (const int* s = g.in_begin(j); s != g.in_end(j); ++s)
      in_rows_.push_back(is_local(*s) ? -1 : rank_rows_[map_.owner(*s)]++);
}

// σ_ji of every edge to another rank, one message per peer rank in (receiver, sender) order.
void Exchange::send_running_sums() {
  std::sort(out_edges_.begin(), out_edges_.end());
  if (send_buffer_.size() < out_edges_.size() * width_)
    send_buffer_.resize(out_edges_.size() * width_);
  for (std::size_t e = 0; e < out_edges_.size(); ++e) {
    const double* sigma =
        running_sum(sent_index_, sent_pool_, out_edges_[e].second, out_edges_[e].first);
    std::copy_n(sigma, width_, send_buffer_.data() + e * width_);
  }
  post_edge_rows();
}

// Row e of send_buffer_ (wire_width_ numbers) belongs to edge out_edges_[e] (sorted): one message
// per peer rank, its rows in (receiver, sender) order; rows to local receivers stay.
void Exchange::post_edge_rows() {
  for (std::size_t e = 0; e < out_edges_.size();) {
    const int q = map_.owner(out_edges_[e].first);
    std::size_t end = e;
    while (end < out_edges_.size() && map_.owner(out_edges_[end].first) == q) ++end;
    if (q != rank_) post_send(q, send_buffer_.data() + e * wire_width_, end - e);
    e = end;
  }
}

// recv[j] = p_jj x_j + Σ_{i ∈ in(j) \ j, delivered} (σ_ji − ρ_ji), ascending i; then ρ_ji ← σ_ji.
void Exchange::take_running_sums(const graph::Digraph& g, const double* send, double* recv) {
  const int lo = first_local(), hi = lo + local_count();
  const bool lossy = options_.drop > 0;
  std::size_t edge = 0;
  for (int j = lo; j < hi; ++j) {
    double* out = recv + static_cast<std::size_t>(j - lo) * width_;
    std::fill_n(out, width_, 0.0);
    for (const int* s = g.in_begin(j); s != g.in_end(j); ++s, ++edge) {
      if (*s == j) {
        const double p = 1.0 / g.out_degree(j);
        const double* x = send + static_cast<std::size_t>(j - lo) * width_;
        for (int k = 0; k < width_; ++k) out[k] += p * x[k];
        continue;
      }
      if (lossy && lost(*s, j)) continue;
      const double* sigma = in_rows_[edge] < 0 ? running_sum(sent_index_, sent_pool_, *s, j)
                                               : recv_buffer_.data() + in_rows_[edge] * width_;
      double* rho = running_sum(seen_index_, seen_pool_, *s, j);
      for (int k = 0; k < width_; ++k) {
        out[k] += sigma[k] - rho[k];
        rho[k] = sigma[k];
      }
    }
  }
}

}  // namespace hyperpush::comm
