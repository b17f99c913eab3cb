#pragma once
// The communication of a whole run: the schedule, the round counter that every algorithm advances
// (an inner solve takes rounds t .. t+K, the hyper-gradient the next M·S, ...), and one Exchange
// per message width. All ranks run the same algorithms in the same order (SPMD), so lazily created
// exchanges (each duplicates the communicator: collective) are created in the same order
// everywhere. Its exchanges share the run's ExchangeOptions and read the round and phase label from
// the Gossip.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "hyperpush/comm/exchange.hpp"
#include "hyperpush/graph/analysis.hpp"
#include "hyperpush/graph/schedule.hpp"

namespace hyperpush::consensus {

class Gossip {
 public:
  Gossip(const comm::Communicator& comm, graph::Schedule& schedule,
         const comm::ExchangeOptions& options = {});
  Gossip(const Gossip&) = delete;  // its exchanges point at its position
  Gossip& operator=(const Gossip&) = delete;

  const comm::Communicator& comm() const { return comm_; }
  const comm::ExchangeOptions& options() const { return options_; }
  const comm::AgentMap& map() const { return map_; }
  int agents() const { return map_.agents(); }
  int first_local() const { return map_.first(comm_.rank()); }
  int local_count() const { return map_.count(comm_.rank()); }

  // The exchange carrying messages of `width` numbers (created on first use: collective). Every
  // channel has its own exchanges: in robust mode a mixing that lives across calls (the inner
  // solver's warm-started state) takes a channel of its own, so that nothing else touches its
  // running sums.
  comm::Exchange& exchange(int width, int channel = 0);
  // The exchange for push-sum averages of d-vectors (the iterates, HGP's vectors, the average
  // task's): compressed when consensus.compress is set, on channels of their own (channel +
  // kCompressed), so that no other user's messages (standardization moments, max-consensus,
  // merges) are ever compressed. Otherwise exchange(width, channel) itself.
  comm::Exchange& vector_exchange(int width, int channel = 0) {
    return exchange(width, options_.compress.enabled() ? channel + kCompressed : channel);
  }
  static constexpr int kCompressed = 1 << 20;

  // G(t) for the next unused round t, which is then used.
  const graph::Digraph& next_round() {
    position_.round = round_;
    return schedule_.round(round_++);
  }
  std::int64_t rounds_used() const { return round_; }
  // The rounds of flooding (max-consensus) from the next unused round after which every agent holds
  // the exact result: the schedule's own figure (graph::flooding_time), or `bound`, (n − 1)·B,
  // where that is not computed or messages may be lost (faults.drop: a lost message delays the
  // flood past the schedule's own time). The same on every rank.
  std::int64_t flooding_rounds(std::int64_t bound) {
    if (options_.drop > 0) return bound;
    const std::int64_t exact = graph::flooding_time(schedule_, round_, bound);
    return exact > 0 ? exact : bound;
  }
  // Continue at round t (a resumed run: the schedule is a pure function of t).
  void resume_at(std::int64_t t) { round_ = t; }

  // A phase of the run, for as long as the object lives: it names the rounds in it in a deadline
  // error ("inner solve", ...) and its time goes to phase_times(). Phases nest: an inner phase's
  // time is its own, not the enclosing one's, and the enclosing label comes back at its end.
  // `label` must outlive the Gossip (a string literal).
  class Phase {
   public:
    Phase(Gossip& gossip, const char* label) : gossip_(gossip), outer_(gossip.switch_to(label)) {}
    ~Phase() { gossip_.switch_to(outer_); }
    Phase(const Phase&) = delete;
    Phase& operator=(const Phase&) = delete;

   private:
    Gossip& gossip_;
    const char* outer_;
  };
  // Per phase label: wall seconds spent in it (compute and communication) and the part of them in
  // push-sum rounds. Time outside every phase since the Gossip was made is under "other".
  struct PhaseTime {
    double seconds = 0;
    double push_seconds = 0;
  };
  std::map<std::string, PhaseTime> phase_times() const;

  // Logical agent-to-agent traffic of local agent `local`, over every exchange.
  comm::AgentTraffic traffic(int local) const;
  // MPI messages and bytes this rank actually sent, over every exchange.
  comm::WireTraffic wire() const;

  // For checkpoints, between rounds: the exchanges made so far as (channel, width), and local
  // agent `local`'s state in each (Exchange::agent_state) in that order, each prefixed by its
  // length. restore (collective) makes the listed exchanges, in list order on every rank, and
  // gives each local agent its row; it throws hyperpush::Error on rows that do not fit.
  std::vector<std::pair<int, int>> channels() const;
  std::vector<double> agent_state(int local) const;
  void restore(const std::vector<std::pair<int, int>>& channels,
               const std::vector<std::vector<double>>& local_rows);

 private:
  comm::Communicator comm_;
  graph::Schedule& schedule_;
  comm::AgentMap map_;
  std::int64_t round_ = 0;
  comm::ExchangeOptions options_;
  comm::Position position_{0, "other"};
  // Ends the current phase's segment and starts `label`'s; returns the label it ended.
  const char* switch_to(const char* label);
  std::map<std::string, PhaseTime> phase_times_;
  std::chrono::steady_clock::time_point segment_start_ = std::chrono::steady_clock::now();
  std::map<std::pair<int, int>, std::unique_ptr<comm::Exchange>> exchanges_;  // (channel, width)
};

}  // namespace hyperpush::consensus
