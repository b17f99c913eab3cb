#pragma once
// The communication of a whole run: the schedule, the round counter that every algorithm advances
// (an inner solve takes rounds t .. t+K, the hyper-gradient the next M·S, ...), and one Exchange
// per message width. All ranks run the same algorithms in the same order (SPMD), so lazily created
// exchanges (a collective MPI_Comm_dup) are created in the same order everywhere.
#include <mpi.h>

#include <cstdint>
#include <map>
#include <memory>

#include "hyperpush/comm/exchange.hpp"
#include "hyperpush/graph/schedule.hpp"

namespace hyperpush::consensus {

class Gossip {
 public:
  Gossip(MPI_Comm comm, graph::Schedule& schedule);

  MPI_Comm comm() const { return comm_; }
  const comm::AgentMap& map() const { return map_; }
  int agents() const { return map_.agents(); }
  int first_local() const { return map_.first(rank_); }
  int local_count() const { return map_.count(rank_); }

  // The exchange carrying messages of `width` numbers (created on first use: collective).
  comm::Exchange& exchange(int width);

  // G(t) for the next unused round t, which is then used.
  const graph::Digraph& next_round() { return schedule_.round(round_++); }
  std::int64_t rounds_used() const { return round_; }
  // Continue at round t (a resumed run: the schedule is a pure function of t).
  void resume_at(std::int64_t t) { round_ = t; }

  // Logical agent-to-agent traffic of local agent `local`, over every exchange.
  comm::AgentTraffic traffic(int local) const;
  // MPI messages and bytes this rank actually sent, over every exchange.
  comm::WireTraffic wire() const;

 private:
  MPI_Comm comm_;
  int rank_;
  graph::Schedule& schedule_;
  comm::AgentMap map_;
  std::int64_t round_ = 0;
  std::map<int, std::unique_ptr<comm::Exchange>> exchanges_;
};

}  // namespace hyperpush::consensus
