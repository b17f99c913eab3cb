// A checkpoint file's bytes: every agent's numbers come back bit for bit, each rank keeps its own
// agents, and a file that cannot be used is refused with the reason (the checks of
// tests/e2e/checkpoint.sh, and the headers and records fuzz/checkpoint found unchecked).
#include "hyperpush/app/checkpoint_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "hyperpush/error.hpp"

namespace hyperpush::app {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const json kConfig = {{"agents", 3}, {"model.l2", 0.0}, {"seed", 1}};
const CheckpointExpectations kAll{"hpo", kConfig, 3, 0, 3};

std::vector<AgentState> three_agents() {
  return {{{1.5, -0.0, std::nan("")}, {}, {7}}, {{std::numeric_limits<double>::denorm_min()}}, {}};
}

std::string three_agent_file() {
  std::vector<std::vector<double>> rows;
  for (const auto& state : three_agents()) rows.push_back(flatten_agent_state(state));
  return encode_checkpoint("hpo", kConfig, 12, {{"round", 345}, {"history", {1, 2}}}, rows);
}

// A file of this header, shared state and rows (counts written as given), with a valid checksum.
std::string file_of(const json& header, const std::string& shared,
                    const std::vector<std::vector<double>>& rows) {
  std::string bytes = "hyperpush checkpoint\n" + header.dump() + "\n" + shared;
  for (const auto& row : rows) {
    const std::uint64_t count = row.size();
    bytes.append(reinterpret_cast<const char*>(&count), sizeof count);
    bytes.append(reinterpret_cast<const char*>(row.data()), row.size() * sizeof(double));
  }
  const std::uint64_t checksum = checkpoint_checksum(bytes);
  return bytes.append(reinterpret_cast<const char*>(&checksum), sizeof checksum);
}

// The header encode_checkpoint writes for three agents and `shared` ("{}").
json header_of_three(const std::string& shared = "{}") {
  const std::string bytes = three_agent_file();
  const std::size_t start = bytes.find('\n') + 1;
  json header = json::parse(bytes.substr(start, bytes.find('\n', start) - start));
  header["shared_bytes"] = shared.size();
  return header;
}

std::string refusal(const std::string& bytes, const CheckpointExpectations& expected = kAll) {
  try {
    decode_checkpoint(bytes, "c.ckpt", expected);
  } catch (const Error& e) {
    return e.what();
  }
  return "accepted";
}

// Flattened rows are never empty: memcmp gets no null pointer.
bool same_bits(const AgentState& a, const AgentState& b) {
  const auto x = flatten_agent_state(a), y = flatten_agent_state(b);
  return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0;
}

TEST(CheckpointFile, EveryAgentsNumbersComeBackBitForBit) {
  const Checkpoint c = decode_checkpoint(three_agent_file(), "c.ckpt", kAll);
  EXPECT_EQ(c.step, 12);
  EXPECT_EQ(c.shared, json({{"round", 345}, {"history", {1, 2}}}));
  ASSERT_EQ(c.agents.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_bits(c.agents[i], three_agents()[i])) << i;
}

TEST(CheckpointFile, EachRankKeepsItsOwnAgents) {
  const Checkpoint c = decode_checkpoint(three_agent_file(), "c.ckpt", {"hpo", kConfig, 3, 1, 2});
  ASSERT_EQ(c.agents.size(), 2u);
  EXPECT_TRUE(same_bits(c.agents[0], three_agents()[1]));
  EXPECT_TRUE(same_bits(c.agents[1], three_agents()[2]));
  EXPECT_TRUE(
      decode_checkpoint(three_agent_file(), "c.ckpt", {"hpo", kConfig, 3, 3, 0}).agents.empty());
}

TEST(CheckpointFile, ACheckpointOfAnotherRunIsRefusedWithTheReason) {
  const std::string good = three_agent_file();
  EXPECT_EQ(refusal("not a checkpoint"), "checkpoint c.ckpt: not a hyperpush checkpoint");
  EXPECT_EQ(refusal("hyperpush checkpoint\n{\"format\":1"),
            "checkpoint c.ckpt: truncated (no header)");
  EXPECT_EQ(refusal("hyperpush checkpoint\n[1]\n"),
            "checkpoint c.ckpt: corrupt (unreadable header)");
  json header = header_of_three();
  header["format"] = 9;
  EXPECT_EQ(refusal(file_of(header, "{}", {})),
            "checkpoint c.ckpt: format version 9, this hyperpush reads 2 only; start without "
            "--resume");
  EXPECT_EQ(refusal(good, {"tree", kConfig, 3, 0, 3}),
            "checkpoint c.ckpt: written by task 'hpo', this config runs 'tree'");
  json other = kConfig;
  other["model.l2"] = 0.5;
  EXPECT_EQ(refusal(good, {"hpo", other, 3, 0, 3}),
            "checkpoint c.ckpt: written by another config (model.l2 = 0.0 there, 0.5 here); resume "
            "with the config it was written with");
  header = header_of_three();
  header["version"] = "0.0.1";
  EXPECT_THAT(refusal(file_of(header, "{}", {})),
              HasSubstr("written by hyperpush 0.0.1, this is "));
  EXPECT_EQ(refusal(good, {"hpo", kConfig, 4, 0, 4}),
            "checkpoint c.ckpt: holds 3 agents, this run has 4");
}

TEST(CheckpointFile, ACutFileIsTruncatedAndAChangedByteCorrupt) {
  const std::string good = three_agent_file();
  const std::string cut = good.substr(0, good.size() - 20);
  EXPECT_EQ(refusal(cut),
            "checkpoint c.ckpt: truncated (" + std::to_string(cut.size()) + " bytes)");
  std::string changed = good;
  changed[changed.find("345")] ^= 1;  // the shared state's round: 245
  EXPECT_EQ(refusal(changed), "checkpoint c.ckpt: corrupt (checksum mismatch)");
  EXPECT_EQ(refusal(good + "12345678"), "checkpoint c.ckpt: corrupt (8 bytes past the last agent)");
}

// Found by fuzz/checkpoint: header fields of another type or out of range threw nlohmann's
// type_error or converted with undefined behaviour (1e300 agents); a shared_bytes of -1 wrapped
// around the offset of the first agent.
TEST(CheckpointFile, AHeaderFieldOfAnotherTypeOrRangeIsCorrupt) {
  for (const auto& [key, value] : std::vector<std::pair<std::string, json>>{{"task", 5},
                                                                            {"version", nullptr},
                                                                            {"config", "x"},
                                                                            {"agents", 1e300},
                                                                            {"agents", "3"},
                                                                            {"agents", -1},
                                                                            {"agents", 1ll << 40},
                                                                            {"step", -2},
                                                                            {"step", 2.5},
                                                                            {"shared_bytes", -1}}) {
    json header = header_of_three();
    header[key] = value;
    EXPECT_EQ(refusal(file_of(header, "{}", {})), "checkpoint c.ckpt: corrupt (unreadable header)")
        << key << " = " << value.dump();
    header.erase(key);
    EXPECT_EQ(refusal(file_of(header, "{}", {})), "checkpoint c.ckpt: corrupt (unreadable header)")
        << "no " << key;
  }
}

// Counts that claim more than the file holds are refused before anything is allocated for them.
TEST(CheckpointFile, HugeCountsAreTruncatedFilesNotAllocations) {
  json header = header_of_three();
  header["shared_bytes"] = std::numeric_limits<std::uint64_t>::max();
  EXPECT_THAT(refusal(file_of(header, "{}", {})), HasSubstr("truncated ("));
  std::string huge = file_of(header_of_three(), "{}", {{1, 0}, {1, 0}, {1, 0}});
  // The first agent's count, right after the header line and the shared state: 2^61 doubles.
  const std::uint64_t count = 1ull << 61;
  std::memcpy(huge.data() + huge.find('\n', huge.find('\n') + 1) + 1 + 2, &count, sizeof count);
  EXPECT_THAT(refusal(huge), HasSubstr("truncated ("));
}

// Found by fuzz/checkpoint: a NaN count converted to an integer with undefined behaviour.
TEST(CheckpointFile, ARecordWhoseCountsAreNotWholeNumbersIsCorrupt) {
  const double nan = std::nan("");
  for (const std::vector<double>& row : std::vector<std::vector<double>>{
           {nan, 1}, {1, nan, 1}, {1, 0.5, 1}, {0.5}, {-1}, {1, 2, 1}}) {
    const std::string bytes = file_of(header_of_three(), "{}", {{1, 0}, row, {1, 0}});
    EXPECT_EQ(refusal(bytes), "checkpoint c.ckpt: corrupt (agent 1's record)") << row[0];
  }
  EXPECT_EQ(refusal(file_of(header_of_three(), "{}", {{1, 0}, {}, {1, 0}})),
            "checkpoint c.ckpt: corrupt (agent 1's record)");
  EXPECT_EQ(refusal(file_of(header_of_three("{x"), "{x", {{0}, {0}, {0}})),
            "checkpoint c.ckpt: corrupt (unreadable state)");
}

}  // namespace
}  // namespace hyperpush::app
