#pragma once
// The transport of one push round: every agent's message reaches its out-neighbours of G(t), and
// every agent gets back the push-weighted sum of what it received. Callers never learn whether a
// neighbour lives on this rank or another.
//
// Cost of one round, per rank: one nonblocking message to (and from) each rank hosting an out-
// (in-) neighbour of a local agent; a sender's row travels once per destination rank however many
// of that rank's agents it reaches. Same-rank edges are read in place. Work is proportional to the
// edges of the round that touch local agents; no collective call, no probing, no allocation in
// steady state.
#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "hyperpush/comm/agent_map.hpp"
#include "hyperpush/graph/digraph.hpp"

namespace hyperpush::comm {

// Logical agent-to-agent traffic of one agent (self-loops are not traffic).
struct AgentTraffic {
  std::int64_t messages = 0;
  std::int64_t bytes = 0;
};

// What actually crossed MPI from this rank.
struct WireTraffic {
  std::int64_t messages = 0;
  std::int64_t bytes = 0;
};

// How a receiver combines what reaches it in a round.
enum class Combine {
  push_sum,  // Σ_{i ∈ in(j)} p_ji · send[i], p_ji = 1/|O_i(t)| (column-stochastic mixing)
  max,       // max_{i ∈ in(j)} send[i], elementwise (max-consensus / flooding)
};

// A caller's own combination of what reaches a receiver: `rows` are the `count` rows of `width`
// numbers received by one agent (itself included), in ascending sender id; write the result to
// `out` (which overlaps none of them). Used for merges that are not elementwise, such as merging
// sorted top-k lists (consensus/merge_consensus.hpp).
using Reduce =
    std::function<void(const double* const* rows, std::size_t count, int width, double* out)>;

class Exchange {
 public:
  // `width`: numbers per agent message (d + 1 for push-sum). The communicator is duplicated, so the
  // exchange's messages never match anything else.
  Exchange(MPI_Comm comm, int agents, int width);
  ~Exchange();
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  const AgentMap& map() const { return map_; }
  int rank() const { return rank_; }
  int width() const { return width_; }
  int first_local() const { return map_.first(rank_); }
  int local_count() const { return map_.count(rank_); }
  MPI_Comm comm() const { return comm_; }

  // One push round over G(t) (g must have map().agents() vertices):
  //   recv[j] = Σ_{i ∈ in(j), ascending i} p_ji · send[i],   p_ji = 1 / |O_i(t)|
  // send and recv hold local_count() rows of width() numbers (local agent order) and must not
  // overlap. Summing in sender-id order makes the result bitwise independent of the rank count.
  // With Combine::max, recv[j] is instead the elementwise max over in(j) (self included).
  void push(const graph::Digraph& g, const double* send, double* recv,
            Combine combine = Combine::push_sum);
  // The same round, with recv[j] = reduce(rows of in(j) in ascending sender id, self included).
  // Same messages and traffic as push() above: only the receiver's arithmetic differs.
  void push(const graph::Digraph& g, const double* send, double* recv, const Reduce& reduce);

  const AgentTraffic& traffic(int local) const { return traffic_[local]; }
  const WireTraffic& wire() const { return wire_; }

 private:
  void plan(const graph::Digraph& g);
  void run_round(const graph::Digraph& g, const double* send, double* recv, Combine combine,
                 const Reduce* custom);

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  AgentMap map_;
  int width_;

  // Per-round plan (rebuilt each round into reused storage).
  std::vector<int> dest_ranks_, source_ranks_;          // peer ranks this round, ascending
  std::vector<std::vector<int>> send_agents_;           // per peer rank: local senders, ascending
  std::vector<std::vector<int>> recv_agents_;           // per peer rank: remote senders, ascending
  std::vector<std::int64_t> rank_stamp_, agent_stamp_;  // "seen this round" marks
  std::vector<std::int64_t> recv_offset_;               // agent → row offset in recv_buffer_
  std::vector<double> send_buffer_, recv_buffer_;
  std::vector<MPI_Request> requests_;
  std::vector<const double*> rows_;  // one receiver's inputs, sender order
  std::vector<double> weights_;
  std::vector<char> done_;  // receivers already reduced this round
  std::int64_t round_ = 0;

  std::vector<AgentTraffic> traffic_;
  WireTraffic wire_;
};

}  // namespace hyperpush::comm
