#pragma once
// One-sided delivery for asynchronous gossip: every agent has an inbox of `width` numbers in its
// rank's MPI window. Any rank adds a row into any agent's inbox (MPI_Accumulate, MPI_SUM) without
// the owner taking part, and the owner empties its inboxes whenever it likes (MPI_Get_accumulate,
// MPI_REPLACE with zeros). MPI makes accumulates to one number atomic, so every number sent is
// taken exactly once however sends and takes interleave: push-sum mass is neither lost nor counted
// twice, and nobody waits for anybody.
//
// Cost: one MPI_Accumulate of `width` numbers per remote edge and one MPI_Get_accumulate of all
// local inboxes per take. On one node Open MPI's shared-memory one-sided component does both as
// copies under a lock in the target's segment; across nodes the transport's RDMA atomics or
// active messages do them. A passive-target epoch spans the mailbox's life (MPI_Win_lock_all).
#include <cstdint>
#include <memory>
#include <vector>

#include "hyperpush/comm/agent_map.hpp"
#include "hyperpush/comm/communicator.hpp"
#include "hyperpush/comm/exchange.hpp"

namespace hyperpush::comm {

class Mailbox {
 public:
  // Collective. Throws hyperpush::Error (exit code 2) when MPI cannot open a one-sided window
  // over these ranks. Of the options only the fault hook faults.slow_rank concerns a mailbox.
  Mailbox(const Communicator& comm, int agents, int width, const ExchangeOptions& options = {});
  ~Mailbox();  // collective (skipped while an exception unwinds)
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  const AgentMap& map() const { return map_; }
  int rank() const { return rank_; }
  const ExchangeOptions& options() const { return options_; }
  int width() const { return width_; }
  int first_local() const { return map_.first(rank_); }
  int local_count() const { return map_.count(rank_); }

  // Adds `row` (width() numbers) into the inbox of `agent`, which lives on another rank. `row`
  // must stay unchanged until the next flush().
  void send(int agent, const double* row);
  // Every send so far has reached its inbox.
  void flush();
  // Adds what the local inboxes hold to `rows` (local_count() rows of width() numbers, local agent
  // order) and empties them, each number atomically.
  void take(double* rows);

  // Collective: flush(), then wait until every rank has flushed; a take() after it gets every
  // number sent before it.
  void settle();

  // Termination without a barrier: finish() says this rank has done its share; everyone_finished()
  // is true once every rank has said so.
  void finish();
  bool everyone_finished();

  const WireTraffic& wire() const { return wire_; }
  // More ranks than cores: a rank that runs ahead should yield its core after each round, or it
  // keeps the ranks behind it from running.
  bool oversubscribed() const { return oversubscribed_; }

 private:
  struct Window;  // mailbox.cpp: the MPI windows (no <mpi.h> here)

  Communicator comm_;
  int rank_;
  AgentMap map_;
  int width_;
  ExchangeOptions options_;
  std::unique_ptr<Window> window_;
  std::vector<double> zeros_, taken_;
  WireTraffic wire_;
  bool oversubscribed_;
};

}  // namespace hyperpush::comm
