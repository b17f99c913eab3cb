// Fuzz target: decode_checkpoint on a checkpoint file's bytes. The input's first byte chooses
//   bit 0: the file's last 8 bytes are replaced by the checksum of the rest, so that inputs get
//          past the FNV-1a check to the counts, the agents' records and the shared state;
//   bit 1: the expectations (task, config, agent count) are the file's own header's, so that a
//          mutated config does not stop it at the config comparison (otherwise fixed ones: task
//          hpo, 2 agents and a config of one key, which the seeds' configs differ from);
//   bit 2: this rank keeps the second half of the agents (otherwise all of them).
// The rest is the file. A hyperpush::Error is the reader refusing the input; anything else is a
// bug, and so is a checkpoint that, accepted with all its agents, does not come back the same
// from encode_checkpoint (the agents' numbers bit for bit: resumed runs are byte-identical).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "hyperpush/app/checkpoint_file.hpp"
#include "hyperpush/error.hpp"

namespace {

using hyperpush::app::AgentState;
using hyperpush::app::Checkpoint;
using hyperpush::app::CheckpointExpectations;
using hyperpush::app::decode_checkpoint;
using hyperpush::app::encode_checkpoint;
using hyperpush::app::flatten_agent_state;
using nlohmann::json;

const CheckpointExpectations kFixed{"hpo", json{{"seed", 0}}, 2, 0, 2};

// The expectations of a run that resumes the file, read from its header where it has them.
CheckpointExpectations own_expectations(const std::string& file) {
  CheckpointExpectations expected = kFixed;
  const std::size_t start = file.find('\n'), end = file.find('\n', start + 1);
  if (start == std::string::npos || end == std::string::npos) return expected;
  const json header = json::parse(file.begin() + start + 1, file.begin() + end, nullptr, false);
  if (!header.is_object()) return expected;
  if (header.contains("task") && header["task"].is_string()) expected.task = header["task"];
  if (header.contains("config")) expected.config = header["config"];
  if (header.contains("agents") && header["agents"].is_number_integer() &&
      header["agents"].get<std::int64_t>() >= 0 && header["agents"].get<std::int64_t>() <= 1 << 20)
    expected.agents = expected.local_agents = header["agents"].get<int>();
  return expected;
}

// Flattened rows are never empty: memcmp gets no null pointer.
bool same_numbers(const AgentState& a, const AgentState& b) {
  const auto x = flatten_agent_state(a), y = flatten_agent_state(b);
  return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  std::string file(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((mode & 1) && file.size() >= sizeof(std::uint64_t)) {
    const std::size_t body = file.size() - sizeof(std::uint64_t);
    const std::uint64_t checksum = hyperpush::app::checkpoint_checksum({file.data(), body});
    std::memcpy(file.data() + body, &checksum, sizeof checksum);
  }
  CheckpointExpectations expected = (mode & 2) ? own_expectations(file) : kFixed;
  if (mode & 4) {
    expected.first_agent = expected.agents / 2;
    expected.local_agents = expected.agents - expected.first_agent;
  }
  Checkpoint checkpoint;
  try {
    checkpoint = decode_checkpoint(file, "fuzz.ckpt", expected);
  } catch (const hyperpush::Error&) {
    return 0;
  }
  if (static_cast<int>(checkpoint.agents.size()) != expected.local_agents) std::abort();
  if (expected.first_agent != 0) return 0;
  // Not under the catch above: a checkpoint it accepted must read back from its own encoding.
  std::vector<std::vector<double>> rows;
  for (const auto& state : checkpoint.agents) rows.push_back(flatten_agent_state(state));
  const Checkpoint again = decode_checkpoint(
      encode_checkpoint(expected.task, expected.config, checkpoint.step, checkpoint.shared, rows),
      "again.ckpt", expected);
  if (again.step != checkpoint.step || again.shared.dump() != checkpoint.shared.dump() ||
      again.agents.size() != checkpoint.agents.size())
    std::abort();
  for (std::size_t i = 0; i < again.agents.size(); ++i)
    if (!same_numbers(again.agents[i], checkpoint.agents[i])) std::abort();
  return 0;
}
