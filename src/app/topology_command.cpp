// `hyperpush topology`: the schedule analysis as JSON, one round as DOT, rounds as an edge list.
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "hyperpush/app/commands.hpp"
#include "hyperpush/app/config.hpp"
#include "hyperpush/app/settings.hpp"
#include "hyperpush/graph/analysis.hpp"
#include "hyperpush/graph/dot.hpp"
#include "hyperpush/graph/schedule_file.hpp"

namespace hyperpush::app {
namespace {

std::int64_t parse_round(const std::string& text, const std::string& option) {
  std::size_t used = 0;
  long long v = -1;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
  }
  if (used != text.size() || v < 0)
    throw Error(option + " " + text + ": expected a round number >= 0");
  return v;
}

std::ofstream open_output(const std::string& path, const std::string& option) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw Error(option + " " + path + ": cannot write this file");
  return out;
}

}  // namespace

int topology_command(const std::string& config_path, const std::vector<std::string>& overrides,
                     const TopologyOptions& options) {
  const Settings settings = read_settings(Config::load(config_path, overrides));
  const int agents = settings.agents;
  if (agents == 0)
    throw Error(
        "agents = 0 means one agent per MPI rank, which `hyperpush topology` does not "
        "have; give the count, e.g. --set agents=8");
  graph::Schedule schedule(settings.topology, agents, settings.seed);

  std::int64_t t0 = 0, t1 = settings.topology.check_rounds;
  if (!options.rounds.empty()) {
    const auto colon = options.rounds.find(':');
    if (colon == std::string::npos) throw Error("--rounds " + options.rounds + ": expected T0:T1");
    t0 = parse_round(options.rounds.substr(0, colon), "--rounds");
    t1 = parse_round(options.rounds.substr(colon + 1), "--rounds");
    if (t1 <= t0) throw Error("--rounds " + options.rounds + ": need T0 < T1");
  }
  const auto a = graph::analyze_schedule(schedule, t0, t1);

  const auto degrees = [](const graph::DegreeStats& d) {
    return nlohmann::json{{"min", d.min}, {"mean", d.mean}, {"max", d.max}};
  };
  const nlohmann::json report = {
      {"kind", a.kind},
      {"agents", a.agents},
      {"seed", a.seed},
      {"rounds", {a.t0, a.t1}},
      {"b_strongly_connected", a.b > 0},
      {"b", a.b},
      {"reason", a.reason},
      {"strongly_connected_rounds", a.strongly_connected_rounds},
      {"out_degree", degrees(a.out_degree)},
      {"in_degree", degrees(a.in_degree)},
      {"edges_per_round", a.edges_per_round},
      {"union_diameter", a.diameter},
      {"contraction_rate", a.contraction_rate},
      {"exact_after_rounds", a.exact_after_rounds},
  };
  std::printf("%s\n", report.dump(2).c_str());

  if (!options.dot_file.empty()) {
    const std::int64_t round =
        options.dot_round.empty() ? t0 : parse_round(options.dot_round, "--dot-round");
    auto out = open_output(options.dot_file, "--dot");
    graph::write_dot(schedule.round(round), round, out);
  }
  if (!options.export_file.empty()) {
    auto out = open_output(options.export_file, "--export");
    graph::write_schedule_file(schedule, t0, t1, out);
  }
  return 0;
}

}  // namespace hyperpush::app
