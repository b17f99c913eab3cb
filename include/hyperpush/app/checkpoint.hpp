#pragma once
// Checkpoints: everything a run's future depends on, so that `hyperpush run CONFIG --resume`
// continues to result files byte-identical to an uninterrupted run's, on any number of ranks
// (agents are not ranks: every agent's state is kept by agent, in agent order).
//
// Gathered: rank 0 writes one file per checkpoint, DIR/step-NNNNNNNNN.ckpt (its bytes:
// app/checkpoint_file.hpp): a header with the fingerprint of the results-relevant config and that
// config, the run's shared state, every agent's vectors in agent order, a checksum.
// Written to a hidden temporary name, fsync'd, renamed; then DIR/MANIFEST (naming the newest
// complete checkpoint) is replaced the same way, last, and older checkpoints are removed. A crash
// at any point leaves the previous checkpoint intact and named.
//
// Every rank reads the file to resume and keeps its own agents' vectors. A checkpoint of another
// config (a key that changes results differs), another format version, or a truncated or corrupt
// file is refused with exit code 2 and one line saying which and why.
#include <mpi.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hyperpush/app/checkpoint_file.hpp"
#include "hyperpush/app/config.hpp"
#include "hyperpush/app/settings.hpp"
#include "hyperpush/comm/agent_map.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::app {

// The run ended at a step boundary after a preemption signal, its checkpoint written (exit 3).
class Preempted : public Error {
 public:
  explicit Preempted(const std::string& what) : Error(what, kExitPreempted, true) {}
};

class Checkpoints {
 public:
  // checkpoint.every and checkpoint.dir ("" = out_dir + ".checkpoint") from `settings`; `config`
  // (the same run's) for the keys a resumed run must share.
  Checkpoints(const Config& config, const Settings& settings, const std::string& out_dir,
              MPI_Comm comm, const comm::AgentMap& map);

  bool enabled() const { return every_ > 0; }
  const std::string& dir() const { return dir_; }

  // Collective: gathers every agent's state to rank 0, which writes the checkpoint. `shared` is
  // rank 0's (other ranks may pass anything).
  void write(std::int64_t step, const nlohmann::json& shared,
             const std::vector<AgentState>& local) const;
  // Collective: the newest complete checkpoint, every rank with its own agents; hyperpush::Error
  // (exit 2, on every rank alike) when there is none or it cannot be used.
  Checkpoint load() const;
  // After the results are committed: the checkpoints are of no further use.
  void remove() const;
  // For timings.json: checkpoints written, the last one's size and the seconds all took (rank 0).
  nlohmann::json facts() const;

  // Collective, at step boundary `step` (> 0): calls `save(step)` (which builds the state and
  // calls write) when a checkpoint is due (`step` a multiple of checkpoint.every) or any rank
  // received a preemption signal (SIGTERM, SIGUSR1: interruption.hpp), and in the latter case
  // then throws Preempted. Does nothing with checkpoints off.
  void at_boundary(std::int64_t step, const std::function<void(std::int64_t)>& save) const;

 private:
  std::string file_name(std::int64_t step) const;
  bool preempt_requested() const;  // collective

  MPI_Comm comm_;
  int rank_ = 0;
  comm::AgentMap map_;
  std::int64_t every_ = 0;
  std::string dir_;
  std::string task_;
  nlohmann::json config_;  // the results-relevant keys and values
  mutable int written_ = 0;
  mutable std::size_t last_bytes_ = 0;
  mutable double seconds_ = 0;
};

// The keys whose values change no result (where results go, progress lines, checkpoints, the
// wait deadline, the transport, stall faults): left out of a checkpoint's fingerprint, so a run may
// resume with other values of them.
bool changes_no_result(const std::string& key);

}  // namespace hyperpush::app
