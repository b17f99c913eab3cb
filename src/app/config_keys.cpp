// The one table of configuration keys. Adding a key is one line here; the README's reference
// (`hyperpush config-reference`) and every validation message follow from it.
#include <cstdint>

#include "hyperpush/app/config.hpp"
#include "hyperpush/app/task.hpp"
#include "hyperpush/graph/topology.hpp"

namespace hyperpush::app {
namespace {

constexpr double kMaxInt = 9007199254740992.0;  // 2^53: every integer key stays exact as a double

std::vector<std::string> task_names() {
  std::vector<std::string> names;
  for (const auto& kind : task_kinds()) names.emplace_back(kind.name);
  return names;
}

std::vector<std::string> topology_kind_names() {
  std::vector<std::string> names;
  for (const auto& kind : graph::topology_kinds()) names.emplace_back(kind.name);
  return names;
}

KeyDecl integer(const char* key, std::int64_t value, double min, double max, const char* doc) {
  return {key, KeyType::integer, value, min, max, false, {}, doc};
}
KeyDecl real(const char* key, double value, double min, double max, bool min_exclusive,
             const char* doc) {
  return {key, KeyType::real, value, min, max, min_exclusive, {}, doc};
}
KeyDecl text(const char* key, const char* value, std::vector<std::string> choices,
             const char* doc) {
  return {key, KeyType::string, std::string(value), 0, 0, false, std::move(choices), doc};
}
KeyDecl flag(const char* key, bool value, const char* doc) {
  return {key, KeyType::boolean, value, 0, 0, false, {}, doc};
}

}  // namespace

const std::vector<KeyDecl>& config_keys() {
  static const std::vector<KeyDecl> keys = {
      text("task", "average", task_names(),
           "What to run: `average` = push-sum averaging of per-agent random vectors."),
      integer("seed", 0, 0, kMaxInt,
              "Seed of every random draw (schedule, data split, initial values)."),
      integer("agents", 0, 0, 1e7,
              "Number of agents, spread over the MPI ranks in blocks; 0 = one agent per rank."),

      text("topology.kind", "random-directed", topology_kind_names(),
           "Communication schedule G(t); see the topology table for each kind."),
      text("topology.file", "", {},
           "Edge-list schedule for kind = \"file\", relative to the config file's folder."),
      real("topology.rate_min", 0.4, 0, 1, true,
           "random-directed / random-undirected: edge rates r_uv ~ U(rate_min, rate_max)."),
      real("topology.rate_max", 0.8, 0, 1, true, "Upper end of the edge-rate interval."),
      real("topology.probability", 0.5, 0, 1, true, "erdos-renyi: edge probability."),
      integer("topology.check_rounds", 64, 1, 1e6,
              "Rounds [0, check_rounds) checked before a run: it is refused unless every window "
              "of B rounds in them has a strongly connected union."),

      text("data.dataset", "breast-cancer",
           {"fashion-mnist", "breast-cancer", "digits", "wine", "iris", "libsvm"},
           "Data set: a real one shipped by Debian (read offline) or `libsvm` files."),
      text("data.train", "", {}, "libsvm: training file, relative to the config file's folder."),
      text("data.test", "", {},
           "libsvm: test file; empty = hold out data.test_fraction of data.train."),
      real("data.test_fraction", 0.2, 0, 0.99, false,
           "Fraction held out for testing (seeded shuffle) when the data set has no test part."),
      integer("data.max_train", 0, 0, 1e9,
              "Keep a seeded subsample of at most this many training samples; 0 = all."),

      integer("average.dim", 16, 1, 1e8, "Dimension d of each agent's vector."),
      integer("average.rounds", 100, 1, 1e9, "Push-sum rounds R."),
      integer("average.metrics_every", 10, 0, 1e9,
              "Per-agent metrics every this many rounds (and after the last); 0 = last only."),
      flag("average.estimates", false,
           "Also write every agent's final estimate w_i/ω_i to estimates.json (n·d numbers)."),

      text("output.dir", "results", {},
           "Folder for the results (`--out` overrides); relative to the working directory."),
      flag("output.progress", true, "Rank 0 prints progress on stderr, at most once a second."),
  };
  return keys;
}

std::string topology_reference_markdown() {
  std::string out =
      "| kind | time-varying | thousands of agents | description |\n|---|---|---|---|\n";
  for (const auto& kind : graph::topology_kinds()) {
    out += std::string("| `") + kind.name + "` | " + (kind.time_varying ? "yes" : "no") + " | " +
           (kind.scalable ? "yes" : "no") + " | " + kind.doc + " |\n";
  }
  return out;
}

}  // namespace hyperpush::app
