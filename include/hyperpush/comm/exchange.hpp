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
//
// Deadline: every wait of a round is a polling wait (comm.timeout). A rank that has waited that
// long for a peer's message throws hyperpush::Error with exit code 4 (kExitDeadPeer), naming
// itself, the silent rank(s), the round and the phase (Position); the CLI then ends the job with
// MPI_Abort. Only these point-to-point waits have a deadline: the collectives of the other layers
// (gathers, MPI_Allreduce) cannot be given one portably.
//
// Faults (test hooks, ExchangeOptions): a lost message in push-sum rounds, keyed by the counter
// RNG (random.hpp, Purpose::fault) so that a lossy run is the same bits on any rank count, and a
// rank that stalls forever at a given round. Robust mode replaces push-sum's messages by running
// sums, which lose no mass when a message is lost (see ExchangeOptions::robust).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hyperpush/comm/agent_map.hpp"
#include "hyperpush/comm/communicator.hpp"
#include "hyperpush/comm/compression.hpp"
#include "hyperpush/graph/digraph.hpp"
#include "hyperpush/stopwatch.hpp"

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

// How a round's rows reach other ranks (comm.transport).
enum class Transport {
  automatic,  // a shared-memory window when every rank is on one node, else messages
  shared,     // the window, or an error when it cannot be had
  messages,   // one nonblocking message per pair of ranks
};

// consensus.mode: whether a push-sum round waits for its in-neighbours' messages.
enum class ConsensusMode {
  sync,   // every round receives exactly its in-neighbours' rows of that round (Exchange)
  async,  // a rank never waits: it mixes whatever has reached its inboxes (comm/mailbox.hpp)
};

// The deadline, transport, robust mixing and the fault hooks of every exchange of a run.
struct ExchangeOptions {
  // comm.timeout: longest wait (seconds) for a peer's message before the job is ended (exit 4).
  double timeout = 120;
  // comm.transport. Shared memory: every rank writes its local rows into its segment of an MPI
  // shared-memory window and receivers mix straight from their peers' segments (no message, no
  // receive buffer); the sums are the same, in the same order, so the bits are too. Robust rounds
  // keep sending messages (their running sums are per edge).
  Transport transport = Transport::messages;
  // consensus.robust: push-sum by running sums (Hadjicostis, Domínguez-García, Vaidya, IEEE TAC
  // 2016). Along each edge i → j the sender keeps σ_ji = Σ_{rounds with j ∈ O_i} p_ji x_i and sends
  // it; the receiver keeps ρ_ji, the last σ_ji it got, and adds σ_ji − ρ_ji. A lost message's mass
  // arrives with the next one that gets through, so the mixing stays exact under loss. Both sums
  // belong to the edge, not to a rank: the bits do not depend on the rank count.
  bool robust = false;
  // faults.drop: each cross-agent message of a push-sum round is lost with this probability,
  // decided by random_uniform(seed, Purpose::fault, sender, receiver, round) (self-loops never).
  double drop = 0;
  std::uint64_t seed = 0;
  // faults.stall_rank / stall_round: that rank sleeps forever at its first push of round ≥
  // stall_round (what a hung node looks like to its peers).
  int stall_rank = -1;
  std::int64_t stall_round = 0;
  // faults.slow_rank / slow_factor: that rank takes slow_factor times as long for every round (a
  // straggler): after each of its rounds it sleeps (slow_factor − 1) × the round's time.
  int slow_rank = -1;
  double slow_factor = 1;
  ConsensusMode mode = ConsensusMode::sync;
  // consensus.compress / compress_step: compressed push-sum (compression.hpp). Each edge i → j
  // carries ω_i and the codec's correction of the edge's reference r_ji ≈ x_i = w_i/ω_i; the
  // round moves γ p_ji ω_i (r_ji, 1) from i to j (the sender takes out exactly what the receiver
  // adds, so Σ_i (w_i, ω_i) is kept), and as the x_i agree the corrections vanish. References
  // belong to the edge (both ends keep a copy, updated from the same bytes): the bits do not
  // depend on the rank count. A lost message (faults.drop) leaves its edge's references as they
  // were on both ends: the sender learns of the loss, as from a link's acknowledgement. Its share
  // is lost as in plain push-sum, or, with `robust`, kept by the sender (no running sums: the
  // acknowledgement makes them unnecessary), so that the mixing stays exact under loss. Rounds
  // always send messages.
  Compression compress;
};

// The straggler hook: on options.slow_rank, sleeps (slow_factor − 1) × `round_seconds`.
void straggle(const ExchangeOptions& options, int rank, double round_seconds);

// Where the run is, for the deadline's message and the fault draws: the schedule round of the next
// push and a label of the phase it belongs to ("inner solve", "average", ...). Kept by whoever
// hands out the rounds (consensus::Gossip, a task) and read by its exchanges at every push; they
// add the seconds of each push to push_seconds (the owner resets it when it likes).
struct Position {
  std::int64_t round = 0;
  const char* phase = "push-sum";
  double push_seconds = 0;
};

class SharedRows;  // exchange.cpp's shared-memory window (src/comm/shared_rows.hpp)

class Exchange {
 public:
  // `width`: numbers per agent message (d + 1 for push-sum). The communicator is duplicated
  // (collective), so the exchange's messages never match anything else. Without a `position` the
  // exchange counts its own pushes (0, 1, ...) as rounds.
  Exchange(const Communicator& comm, int agents, int width, const ExchangeOptions& options = {},
           Position* position = nullptr);
  ~Exchange();
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  const AgentMap& map() const { return map_; }
  int rank() const { return rank_; }
  int width() const { return width_; }
  int first_local() const { return map_.first(rank_); }
  int local_count() const { return map_.count(rank_); }
  // The exchange's own duplicate of the communicator.
  const Communicator& comm() const { return comm_; }
  const ExchangeOptions& options() const { return options_; }

  // One push round over G(t) (g must have map().agents() vertices):
  //   recv[j] = Σ_{i ∈ in(j), ascending i} p_ji · send[i],   p_ji = 1 / |O_i(t)|
  // send and recv hold local_count() rows of width() numbers (local agent order) and must not
  // overlap. Summing in sender-id order makes the result bitwise independent of the rank count.
  // With Combine::max, recv[j] is instead the elementwise max over in(j) (self included).
  // Lost messages (faults.drop) and robust mode concern Combine::push_sum only.
  void push(const graph::Digraph& g, const double* send, double* recv,
            Combine combine = Combine::push_sum);
  // The same round, with recv[j] = reduce(rows of in(j) in ascending sender id, self included).
  // Same messages and traffic as push() above: only the receiver's arithmetic differs.
  void push(const graph::Digraph& g, const double* send, double* recv, const Reduce& reduce);

  // Robust mode: starts a fresh mixing (every running sum back to 0). Mass still in flight from
  // the previous one is dropped, so a new averaging never receives an old one's leftovers. Local,
  // no message; call it on every rank at the same point. Does nothing in plain mode, nor in
  // compressed mode (its references carry no mass: a new averaging starts from them).
  void restart();

  const AgentTraffic& traffic(int local) const { return traffic_[local]; }
  const WireTraffic& wire() const { return wire_; }

  // For checkpoints, between rounds: local agent `local`'s traffic counters and, in robust mode,
  // the running sums of its edges (σ on its out-edges, ρ on its in-edges; in compressed mode the
  // edges' references, the sender's copy and the receiver's) as one row:
  //   messages, bytes, #σ, (to, σ[width]) ascending to, #ρ, (from, ρ[width]) ascending from.
  // The sums belong to the agent's edges, so the row restores on any rank count; restore_agent
  // throws hyperpush::Error on a row that is not one of this exchange's.
  std::vector<double> agent_state(int local) const;
  void restore_agent(int local, const std::vector<double>& row);

 private:
  void plan(const graph::Digraph& g);
  // After a push: the straggler hook, and the push's seconds into the position.
  void end_push(Clock::time_point start);
  void begin_round(const graph::Digraph& g);
  void run_round(const graph::Digraph& g, const double* send, double* recv, Combine combine,
                 const Reduce* custom);
  void run_robust_round(const graph::Digraph& g, const double* send, double* recv);
  void run_compressed_round(const graph::Digraph& g, const double* send, double* recv);
  bool lost(int sender, int receiver) const;
  int row_count(std::size_t rows) const;
  void post_receive(int rank, double* rows, std::size_t count);
  void post_send(int rank, const double* rows, std::size_t count);
  void post_messages(const double* send);
  void share_rows(const double* send);
  void wait_for_shared_rows();
  // A remote sender's row of this round: in the receive buffer, or in its rank's window segment.
  const double* remote_row(int sender) const;
  // Calls `ready` until it holds: spins, then yields, then sleeps; `on_timeout` (which throws) once
  // options().timeout has passed.
  void poll(const std::function<bool()>& ready, const std::function<void()>& on_timeout);
  // Waits for every request of the round, polling, until options().timeout.
  void wait_all();
  [[noreturn]] void fail_silent_peers();
  // hyperpush::Error (kExitDeadPeer) naming the silent ranks, or else the unreached ones.
  [[noreturn]] void fail(const std::vector<int>& silent, const std::vector<int>& unreached);
  double* running_sum(std::unordered_map<std::int64_t, std::size_t>& index,
                      std::vector<double>& pool, int from, int to);
  // The stages of a robust round (run_robust_round).
  bool is_local(int agent) const;
  void add_to_running_sums(const graph::Digraph& g, const double* send);
  void post_running_sum_receives(const graph::Digraph& g);
  void send_running_sums();
  void post_edge_rows();
  // The stages of a compressed round (compressed_round.cpp).
  void encode_edges(const graph::Digraph& g, const double* send, double* recv);
  void take_encoded_rows(const graph::Digraph& g, double* recv);
  // The row of edge from → to among the sorted out_edges_.
  std::size_t edge_row(int to, int from) const;
  void take_running_sums(const graph::Digraph& g, const double* send, double* recv);
  void count_traffic(const graph::Digraph& g);

  Communicator comm_;  // a duplicate, freed by the destructor
  int rank_ = 0;
  AgentMap map_;
  int width_;
  int wire_width_;  // numbers of one row on the wire: width_, or a compressed row's (padded)
  ExchangeOptions options_;
  Position own_position_;
  Position* position_;

  // Per-round plan (rebuilt each round into reused storage).
  std::vector<int> dest_ranks_, source_ranks_;          // peer ranks this round, ascending
  std::vector<std::vector<int>> send_agents_;           // per peer rank: local senders, ascending
  std::vector<std::vector<int>> recv_agents_;           // per peer rank: remote senders, ascending
  std::vector<std::int64_t> rank_stamp_, agent_stamp_;  // "seen this round" marks
  std::vector<std::int64_t> recv_offset_;               // agent → row offset in recv_buffer_
  std::vector<double> send_buffer_, recv_buffer_;
  struct Requests;  // the round's MPI requests (exchange.cpp: no <mpi.h> here)
  std::unique_ptr<Requests> requests_;
  std::vector<int> request_peer_;    // per request: the peer rank (receive) or -1 - rank (send)
  std::vector<const double*> rows_;  // one receiver's inputs, sender order
  std::vector<double> weights_;
  std::vector<char> done_;  // receivers already reduced this round
  std::int64_t round_ = 0;

  // Robust mode: running sums σ (edges from a local sender) and ρ (edges into a local receiver),
  // `width` numbers each, indexed by edge id from · agents + to; the round's remote edges.
  std::unordered_map<std::int64_t, std::size_t> sent_index_, seen_index_;
  std::vector<double> sent_pool_, seen_pool_;
  std::vector<std::pair<int, int>> out_edges_;  // (to, from): local from, remote to
  std::vector<std::int64_t> in_rows_;    // per in-edge of a local receiver: its row, or -1 (local)
  std::vector<std::int64_t> rank_rows_;  // per peer rank: first row of its message

  // Compressed mode: the codec; the pools above hold the edges' references (σ: the sender's copy,
  // ρ: the receiver's); the local senders' x_i; a lost message's reference.
  std::unique_ptr<Codec> codec_;
  std::vector<double> ratios_, scratch_;

  // Shared-memory transport: the window (null with messages) and, per slot, who read this rank's
  // rows the last time the slot was published.
  std::unique_ptr<SharedRows> shared_;
  struct SlotReaders {
    std::int64_t round = 0;  // when the slot was last published (rounds by messages in between)
    std::vector<int> ranks;  // the ranks that read it then
  };
  SlotReaders readers_[2];
  // More ranks than cores: a shared-memory wait yields the core at once (the rank it waits for
  // may be the one it keeps from running); MPI's own progress does the same for messages.
  bool oversubscribed_ = false;

  std::vector<AgentTraffic> traffic_;
  WireTraffic wire_;
};

}  // namespace hyperpush::comm
