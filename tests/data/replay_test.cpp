// The determinism contract across implementations (specs/hgp.md, "Randomness"): replay_data.py
// regenerates the data layer's draws in pure Python from the documented keys, and must print the
// same values as the library. Integers (labels, sample indices) must match exactly; real numbers
// to 1e-13 relative, since the C library's exp / log / cos may round differently where Python is
// linked to another one (on the same C library they agree bit for bit). Skipped, visibly, where
// python3 is missing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "hyperpush/data/dirichlet.hpp"
#include "hyperpush/data/partition.hpp"
#include "hyperpush/data/synthetic_mixture.hpp"

namespace hyperpush::data {
namespace {

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

std::string real_line(const char* name, double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%s %.17g", name, value);
  return text;
}

// The cases of replay_data.py's main(), from the library.
std::vector<std::string> library_lines(std::uint64_t seed) {
  std::vector<std::string> lines;
  for (const double k : {0.05, 0.4, 1.0, 2.5, 5.0})
    for (std::uint64_t a = 0; a < 200; ++a)
      lines.push_back(real_line("gamma", gamma_sample(k, seed, Purpose::label_proportions, a, 1)));
  for (std::uint64_t a = 0; a < 50; ++a)
    for (const double p : symmetric_dirichlet_sample(7, 0.03, seed, Purpose::label_proportions, a))
      lines.push_back(real_line("dirichlet", p));
  for (const Dataset& d : synthetic_mixture(3, 100, seed, {}, MixtureSampleSet::validation)) {
    for (const double x : d.features) lines.push_back(real_line("x", x));
    for (const int y : d.labels) lines.push_back("y " + std::to_string(y));
  }
  std::vector<int> labels;
  for (int i = 0; i < 300; ++i) labels.push_back(i * 7 % 4);
  const auto dirichlet_parts = partition_dirichlet(labels, 4, 6, 0.3, seed, 10);
  for (std::size_t j = 0; j < dirichlet_parts.size(); ++j)
    for (const std::size_t i : dirichlet_parts[j])
      lines.push_back("dirichlet-partition " + std::to_string(j) + " " + std::to_string(i));
  const auto iid_parts = partition_iid(53, 5, seed);
  for (std::size_t j = 0; j < iid_parts.size(); ++j)
    for (const std::size_t i : iid_parts[j])
      lines.push_back("iid-partition " + std::to_string(j) + " " + std::to_string(i));
  Dataset rows;
  rows.source = "rows";
  rows.rows = 23;
  rows.cols = 1;
  rows.classes = 1;
  rows.labels.assign(23, 0);
  for (int r = 0; r < 23; ++r) rows.features.push_back(r);
  const AgentSplit split = split_agent(rows, 0.2, 0.3, seed, 3);
  for (const auto& [name, part] : {std::pair<const char*, const Dataset*>{"train", &split.train},
                                   {"validation", &split.validation},
                                   {"test", &split.test}})
    for (const double r : part->features)
      lines.push_back(std::string(name) + " " + std::to_string(static_cast<int>(r)));
  return lines;
}

class Replay : public testing::TestWithParam<std::uint64_t> {};

TEST_P(Replay, PythonRegeneratesTheSameDraws) {
  if (std::system("python3 -c 'import sys' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3 not found: cross-implementation replay not checked";
  const std::uint64_t seed = GetParam();
  const std::string script = std::string(HYPERPUSH_SOURCE_DIR) + "/tests/data/replay_data.py";
  std::istringstream python(run("python3 '" + script + "' --seed " + std::to_string(seed)));
  const auto expected = library_lines(seed);
  std::string line;
  std::size_t n = 0;
  for (; std::getline(python, line); ++n) {
    ASSERT_LT(n, expected.size()) << "replay_data.py printed more lines: " << line;
    const std::string& cpp = expected[n];
    const auto space = cpp.rfind(' ');
    const std::string name = cpp.substr(0, space);
    ASSERT_EQ(line.substr(0, space + 1), name + " ") << "line " << n;
    if (name == "gamma" || name == "dirichlet" || name == "x") {
      const double a = std::stod(cpp.substr(space + 1)), b = std::stod(line.substr(space + 1));
      ASSERT_NEAR(a, b, 1e-13 * std::abs(a)) << "line " << n << ": " << cpp << " vs " << line;
    } else {
      ASSERT_EQ(line, cpp) << "line " << n;
    }
  }
  EXPECT_EQ(n, expected.size()) << "replay_data.py printed fewer lines";
}

// A seed above 2^63: keys are full 64-bit words.
INSTANTIATE_TEST_SUITE_P(Seeds, Replay, testing::Values(1, 42, 18446744073709551557ULL));

}  // namespace
}  // namespace hyperpush::data
