// `hyperpush topology`: the schedule analysis as JSON, one round as DOT, rounds as an edge list.
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "hyperpush/app/commands.hpp"
#include "hyperpush/app/config.hpp"
#include "hyperpush/app/embedding.hpp"
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

namespace {

// The config's settings and schedule, and the rounds [t0, t1) of `rounds` ("T0:T1"; empty =
// [0, topology.check_rounds)).
struct ScheduleRange {
  Settings settings;
  std::unique_ptr<graph::Schedule> schedule;
  std::int64_t t0 = 0, t1 = 0;
};

ScheduleRange schedule_range(const std::string& config_path,
                             const std::vector<std::string>& overrides, const std::string& rounds) {
  ScheduleRange r{read_settings(Config::load(config_path, overrides)), nullptr};
  if (r.settings.agents == 0)
    throw ConfigError(
        "agents = 0 means one agent per MPI rank, which `hyperpush topology` does not "
        "have; give the count, e.g. --set agents=8");
  r.schedule =
      std::make_unique<graph::Schedule>(r.settings.topology, r.settings.agents, r.settings.seed);
  r.t1 = r.settings.topology.check_rounds;
  if (!rounds.empty()) {
    const auto colon = rounds.find(':');
    if (colon == std::string::npos) throw Error("--rounds " + rounds + ": expected T0:T1");
    r.t0 = parse_round(rounds.substr(0, colon), "--rounds");
    r.t1 = parse_round(rounds.substr(colon + 1), "--rounds");
    if (r.t1 <= r.t0) throw Error("--rounds " + rounds + ": need T0 < T1");
  }
  return r;
}

std::string analysis_json(graph::Schedule& schedule, std::int64_t t0, std::int64_t t1) {
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
  return report.dump(2);
}

}  // namespace

std::string topology_json(const std::string& config_path, const std::vector<std::string>& overrides,
                          const std::string& rounds) {
  ScheduleRange r = schedule_range(config_path, overrides, rounds);
  return analysis_json(*r.schedule, r.t0, r.t1);
}

std::vector<std::vector<double>> mixing_matrices(const std::string& config_path,
                                                 const std::vector<std::string>& overrides,
                                                 std::int64_t t0, std::int64_t t1) {
  ScheduleRange r =
      schedule_range(config_path, overrides, std::to_string(t0) + ":" + std::to_string(t1));
  const int n = r.settings.agents;
  std::vector<std::vector<double>> matrices;
  for (std::int64_t t = r.t0; t < r.t1; ++t) {
    const graph::Digraph& g = r.schedule->round(t);
    std::vector<double> p(static_cast<std::size_t>(n) * n, 0.0);
    for (int i = 0; i < n; ++i)
      for (const int* j = g.out_begin(i); j != g.out_end(i); ++j)
        p[static_cast<std::size_t>(*j) * n + i] = 1.0 / g.out_degree(i);
    matrices.push_back(std::move(p));
  }
  return matrices;
}

int topology_command(const std::string& config_path, const std::vector<std::string>& overrides,
                     const TopologyOptions& options) {
  ScheduleRange r = schedule_range(config_path, overrides, options.rounds);
  graph::Schedule& schedule = *r.schedule;
  const std::int64_t t0 = r.t0, t1 = r.t1;
  std::printf("%s\n", analysis_json(schedule, t0, t1).c_str());
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
