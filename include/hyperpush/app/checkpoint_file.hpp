#pragma once
// The bytes of a checkpoint file, format 2, apart from MPI and the file system (app/checkpoint.hpp
// gathers, writes and reads them), so that the reader can be tested and fuzzed on bytes alone
// (tests/app/checkpoint_file_test.cpp, fuzz/checkpoint.cpp):
//   "hyperpush checkpoint\n",
//   a header line: JSON {format, version (hyperpush's), task, step, agents, shared_bytes, config
//     (the results-relevant keys and values)},
//   the run's shared state: JSON of shared_bytes bytes (counters, metrics and histories so far),
//   per agent, in agent order: a count n (uint64) and n doubles, the agent's vectors as one row
//     [m, len_1 .. len_m, the vectors' numbers],
//   an FNV-1a 64 checksum of all of the above (uint64).
// Integers and doubles in the host's byte order: a checkpoint resumes on the cluster that wrote it.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace hyperpush::app {

inline constexpr int kCheckpointFormat = 2;

// One agent's state: its vectors in an order the task defines.
using AgentState = std::vector<std::vector<double>>;

struct Checkpoint {
  std::int64_t step = 0;           // the step boundary it was taken at (before step `step` ran)
  nlohmann::json shared;           // the task's shared state
  std::vector<AgentState> agents;  // this rank's agents (local order)
};

// What a resuming run requires of a checkpoint, and which of its agents this rank keeps.
struct CheckpointExpectations {
  std::string task;
  nlohmann::json config;  // the results-relevant keys and values, as the writer records them
  int agents = 0;         // the run's agent count
  int first_agent = 0;    // this rank keeps agents [first_agent, first_agent + local_agents)
  int local_agents = 0;
};

// One agent's vectors as the row the file holds for it.
std::vector<double> flatten_agent_state(const AgentState& state);

// The file's bytes. `rows` are every agent's flatten_agent_state, in agent order.
std::string encode_checkpoint(const std::string& task, const nlohmann::json& config,
                              std::int64_t step, const nlohmann::json& shared,
                              const std::vector<std::vector<double>>& rows);

// The checkpoint in `bytes`, read from `path`, with this rank's agents. Throws hyperpush::Error
// "checkpoint PATH: why" when it cannot be used: not a checkpoint, another format version, task,
// config or hyperpush version, truncated, corrupt (checksum, header, state or an agent's record),
// or another agent count. Allocates no more than a few times bytes.size(), whatever it claims.
Checkpoint decode_checkpoint(std::string_view bytes, const std::string& path,
                             const CheckpointExpectations& expected);

// FNV-1a 64 of `bytes`: the checksum a checkpoint file ends with.
std::uint64_t checkpoint_checksum(std::string_view bytes);

}  // namespace hyperpush::app
