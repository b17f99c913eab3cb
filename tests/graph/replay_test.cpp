// The determinism contract across implementations (DESIGN.md): replay_schedule.py regenerates every
// generated kind in pure Python from the documented definitions, and must write the very same edge
// lines as write_schedule_file. Skipped, visibly, where python3 is missing.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "hyperpush/graph/schedule.hpp"
#include "hyperpush/graph/schedule_file.hpp"

namespace hyperpush::graph {
namespace {

// The lines of a schedule file that are not comments.
std::string without_comments(const std::string& text) {
  std::istringstream in(text);
  std::string line, kept;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') kept += line + "\n";
  return kept;
}

std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  pclose(pipe);
  return output;
}

class Replay : public ::testing::TestWithParam<const char*> {};

TEST_P(Replay, PythonRegeneratesTheSameEdges) {
  if (std::system("python3 -c 'import sys' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3 not found: cross-implementation replay not checked";
  TopologySpec spec;
  spec.kind = GetParam();
  spec.rate_min = 0.3;
  spec.rate_max = 0.7;
  spec.probability = 0.35;
  const int agents = 10;
  const std::uint64_t seed = 18446744073709551557ULL;  // above 2^63: keys are full 64-bit words
  const std::int64_t t0 = 5, t1 = 12;
  Schedule s(spec, agents, seed);
  std::ostringstream cpp;
  write_schedule_file(s, t0, t1, cpp);

  const std::string script = std::string(HYPERPUSH_SOURCE_DIR) + "/tests/graph/replay_schedule.py";
  const std::string python =
      run("python3 '" + script + "' --kind " + spec.kind + " --agents " + std::to_string(agents) +
          " --seed " + std::to_string(seed) + " --t0 " + std::to_string(t0) + " --t1 " +
          std::to_string(t1) + " --rate-min 0.3 --rate-max 0.7 --probability 0.35");
  ASSERT_FALSE(python.empty()) << "replay_schedule.py wrote nothing";
  EXPECT_EQ(without_comments(python), without_comments(cpp.str()));
}

INSTANTIATE_TEST_SUITE_P(GeneratedKinds, Replay,
                         ::testing::Values("complete", "directed-ring", "exponential",
                                           "one-peer-exponential", "random-directed",
                                           "random-undirected", "erdos-renyi", "torus", "star"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

}  // namespace
}  // namespace hyperpush::graph
