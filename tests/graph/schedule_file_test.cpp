#include "hyperpush/graph/schedule_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "hyperpush/error.hpp"
#include "hyperpush/graph/schedule.hpp"
#include "hyperpush/graph/topology.hpp"
#include "temp_file.hpp"

namespace hyperpush::graph {
namespace {

using test::TempFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kTopologies = std::string(HYPERPUSH_SOURCE_DIR) + "/topologies/";

std::string read_error(const std::string& path) {
  try {
    read_schedule_file(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(ScheduleFile, ReadsHeaderEdgesCommentsAndDropsSelfLoops) {
  TempFile f("ok.txt",
             "# a comment\n"
             "\n"
             "agents 4   # trailing comment\n"
             "rounds 3\n"
             "2 3 0\n"
             "0 0 1\n"
             "0 1 1\n"          // self-loop: ignored
             "\t0  2   3 \r\n"  // tabs, several spaces, CRLF
             "2 3 0\n");
  const EdgeSchedule s = read_schedule_file(f.path());
  EXPECT_EQ(s.agents, 4);
  ASSERT_EQ(s.rounds.size(), 3u);
  EXPECT_THAT(s.rounds[0], ElementsAre(Edge{0, 1}, Edge{2, 3}));
  EXPECT_TRUE(s.rounds[1].empty());
  EXPECT_THAT(s.rounds[2], ElementsAre(Edge{3, 0}, Edge{3, 0}));
}

TEST(ScheduleFile, FileKindCyclesThroughTheRounds) {
  TopologySpec spec;
  spec.kind = "file";
  spec.file = kTopologies + "ring8-alternating.txt";
  Schedule s(spec, 8, 0);
  EXPECT_EQ(s.period(), 2);
  for (std::int64_t t = 0; t < 6; ++t)
    for (int i = 0; i < 8; ++i) {
      EXPECT_EQ(s.round(t).out_degree(i), i % 2 == t % 2 ? 2 : 1) << t << " " << i;
      if (i % 2 == t % 2) {
        EXPECT_TRUE(s.round(t).has_edge(i, (i + 1) % 8));
      }
    }
}

TEST(ScheduleFile, ExampleFilesParse) {
  for (auto [name, agents, rounds] : {std::tuple{"ring8-alternating.txt", 8, 2},
                                      {"two-clusters-6.txt", 6, 2},
                                      {"token-ring-4.txt", 4, 4}}) {
    const EdgeSchedule s = read_schedule_file(kTopologies + name);
    EXPECT_EQ(s.agents, agents) << name;
    EXPECT_EQ(static_cast<int>(s.rounds.size()), rounds) << name;
  }
}

// --- malformed files: each message names the file and line and says what is valid --------------

TEST(ScheduleFileErrors, BadHeader) {
  TempFile f("bad.txt", "# header follows\nnodes 8\nrounds 2\n");
  EXPECT_EQ(read_error(f.path()),
            f.path() +
                ":2: expected `agents N`, got 'nodes 8'; a schedule file starts with "
                "`agents N` then `rounds R` (comments start with '#')");
}

TEST(ScheduleFileErrors, RoundsLineMissingOrBad) {
  TempFile missing("missing.txt", "agents 3\n# nothing else\n");
  EXPECT_EQ(read_error(missing.path()),
            missing.path() +
                ": ends before the `rounds R` line; a schedule file starts with "
                "`agents N` then `rounds R` (comments start with '#')");
  TempFile zero("zero.txt", "agents 3\nrounds 0\n");
  EXPECT_EQ(read_error(zero.path()),
            zero.path() + ":2: rounds must be an integer in [1, 10000000], got '0'");
  TempFile swapped("swapped.txt", "agents 3\n0 1 2\n");
  EXPECT_EQ(read_error(swapped.path()),
            swapped.path() +
                ":2: expected `rounds R`, got '0 1 2'; a schedule file starts with "
                "`agents N` then `rounds R` (comments start with '#')");
}

TEST(ScheduleFileErrors, AgentCountNotAnInteger) {
  TempFile f("eight.txt", "agents eight\nrounds 1\n");
  EXPECT_EQ(read_error(f.path()),
            f.path() + ":1: agents must be an integer in [1, 2147483647], got 'eight'");
}

TEST(ScheduleFileErrors, AgentOutOfRange) {
  TempFile f("agent.txt", "agents 8\nrounds 2\n0 0 1\n1 3 9\n");
  EXPECT_EQ(read_error(f.path()),
            f.path() + ":4: agent 9 is outside [0, 8) (the file declares agents 8)");
  TempFile negative("negative.txt", "agents 8\nrounds 2\n0 -1 1\n");
  EXPECT_EQ(read_error(negative.path()),
            negative.path() + ":3: agent -1 is outside [0, 8) (the file declares agents 8)");
}

TEST(ScheduleFileErrors, RoundOutOfRange) {
  TempFile f("round.txt", "agents 8\nrounds 2\n\n2 0 1\n");
  EXPECT_EQ(read_error(f.path()),
            f.path() + ":4: round 2 is outside [0, 2) (the file declares rounds 2)");
}

TEST(ScheduleFileErrors, NonIntegerToken) {
  TempFile f("token.txt", "agents 8\nrounds 2\n0 1 2.5\n");
  EXPECT_EQ(read_error(f.path()),
            f.path() +
                ":3: '2.5' is not an integer; an edge line is `t u v` (round, from agent, "
                "to agent)");
  TempFile word("word.txt", "agents 8\nrounds 2\n0 one 2\n");
  EXPECT_THAT(read_error(word.path()), HasSubstr(":3: 'one' is not an integer"));
}

TEST(ScheduleFileErrors, WrongTokenCount) {
  TempFile f("count.txt", "agents 8\nrounds 2\n0 1\n");
  EXPECT_EQ(read_error(f.path()),
            f.path() + ":3: expected an edge `t u v` (round, from agent, to agent), got '0 1'");
}

TEST(ScheduleFileErrors, MissingFile) {
  EXPECT_EQ(read_error("/nonexistent/schedule.txt"),
            "/nonexistent/schedule.txt: cannot open the schedule file");
}

TEST(ScheduleFileErrors, AgentCountMismatchWithTheRun) {
  TopologySpec spec;
  spec.kind = "file";
  spec.file = kTopologies + "ring8-alternating.txt";
  try {
    Schedule s(spec, 12, 0);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "topology.file: " + spec.file +
                                         " declares 8 agents but the run has 12 agents; they "
                                         "must be equal");
  }
}

// --- export -----------------------------------------------------------------------------------

TEST(ScheduleExport, WritesHeaderAndSortedEdgesRenumbered) {
  TopologySpec spec;
  spec.kind = "one-peer-exponential";
  Schedule s(spec, 4, 5);  // distances 1, 2
  std::ostringstream out;
  write_schedule_file(s, 1, 3, out);
  EXPECT_EQ(out.str(),
            "# hyperpush edge-list schedule (format: topologies/README.md)\n"
            "# exported from kind 'one-peer-exponential', seed 5, 4 agents, original rounds "
            "[1, 3) renumbered from 0\n"
            "agents 4\n"
            "rounds 2\n"
            "0 0 2\n0 1 3\n0 2 0\n0 3 1\n"
            "1 0 1\n1 1 2\n1 2 3\n1 3 0\n");
}

TEST(ScheduleExport, RejectsAnEmptyRange) {
  TopologySpec spec;
  Schedule s(spec, 4, 5);
  std::ostringstream out;
  EXPECT_THROW(write_schedule_file(s, 3, 3, out), Error);
  EXPECT_THROW(write_schedule_file(s, -1, 3, out), Error);
}

// Exporting rounds [t0, t1) of any kind and reading the file back as kind = file reproduces every
// round, and then cycles.
class RoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(RoundTrip, ExportThenReadGivesIdenticalGraphs) {
  TopologySpec spec;
  spec.kind = GetParam();
  spec.probability = 0.4;
  if (spec.kind == "file") spec.file = kTopologies + "two-clusters-6.txt";
  const int agents = spec.kind == "file" ? 6 : 9;
  const std::uint64_t seed = 2024;
  const std::int64_t t0 = 3, t1 = 11;
  Schedule original(spec, agents, seed);
  TempFile f("export.txt");
  {
    std::ofstream out(f.path());
    write_schedule_file(original, t0, t1, out);
  }
  TopologySpec replay_spec;
  replay_spec.kind = "file";
  replay_spec.file = f.path();
  Schedule replay(replay_spec, agents, 0);
  EXPECT_EQ(replay.period(), t1 - t0);
  for (std::int64_t t = 0; t < 2 * (t1 - t0); ++t) {
    const Digraph expected = original.round(t0 + t % (t1 - t0));
    EXPECT_EQ(replay.round(t), expected) << spec.kind << " round " << t;
  }
  std::ifstream in(f.path());
  std::string first_line, second_line;
  std::getline(in, first_line);
  std::getline(in, second_line);
  EXPECT_THAT(second_line, StartsWith("# exported from kind '" + spec.kind + "'"));
  EXPECT_THAT(second_line, HasSubstr("seed 2024, " + std::to_string(agents) +
                                     " agents, original rounds [3, 11)"));
}

INSTANTIATE_TEST_SUITE_P(EveryKind, RoundTrip,
                         ::testing::Values("complete", "directed-ring", "exponential",
                                           "one-peer-exponential", "random-directed",
                                           "random-undirected", "erdos-renyi", "torus", "star",
                                           "file"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

TEST(RoundTripCoverage, EveryRegisteredKindIsExercised) {
  // The instantiation above lists the kinds by hand; fail when one is added without it.
  EXPECT_EQ(topology_kinds().size(), 10u);
}

}  // namespace
}  // namespace hyperpush::graph
