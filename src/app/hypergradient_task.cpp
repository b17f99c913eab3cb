// Task `hypergradient`: one inner solve, then one hyper-gradient per agent by the configured
// method, compared with the implicit-function formula at the same inner point (and, on problems
// small enough to gather, at x* itself for an end-to-end figure).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "hyperpush/app/bilevel_setup.hpp"
#include "hyperpush/app/commands.hpp"
#include "hyperpush/app/task.hpp"
#include "hyperpush/comm/gather.hpp"
#include "hyperpush/numeric.hpp"
#include "run_facts.hpp"

namespace hyperpush::app {
namespace {

using nlohmann::json;

std::vector<std::vector<double>> as_rows(const std::vector<model::Vector>& v) {
  std::vector<std::vector<double>> rows;
  for (const auto& x : v) rows.emplace_back(x.data(), x.data() + x.size());
  return rows;
}

// max_i ‖a_i − b_i‖ / max_i ‖b_i‖ over gathered rows.
double relative_error(const std::vector<std::vector<double>>& a,
                      const std::vector<std::vector<double>>& b) {
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Eigen::Map<const model::Vector> x(a[i].data(), a[i].size()), y(b[i].data(), b[i].size());
    diff = nan_max(diff, (x - y).norm());
    scale = nan_max(scale, y.norm());
  }
  return scale > 0 ? diff / scale : diff;
}

double max_norm(const std::vector<std::vector<double>>& rows) {
  double m = 0;
  for (const auto& r : rows)
    m = nan_max(m, Eigen::Map<const model::Vector>(r.data(), r.size()).norm());
  return m;
}

std::vector<double> as_row(const model::Vector& x) { return {x.data(), x.data() + x.size()}; }
model::Vector as_vector(const std::vector<double>& row) {
  return Eigen::Map<const model::Vector>(row.data(), row.size());
}

// A checkpoint of the hyper-gradient at a Neumann step boundary: the inner solve's result (z_i,
// its report and record), the recursion's state, the traffic counters before it, and the schedule
// round and exchange state. Per agent: z_i, u_i, v_i, its watch, (α_i, messages and bytes before),
// its exchange state.
struct Resumable {
  std::vector<model::Vector> z;
  bilevel::InnerReport inner;
  std::vector<double> traffic;  // per local agent: −messages, −bytes before the hyper-gradient
  std::int64_t rounds_before = 0;
  bilevel::NeumannState neumann;
};

void save(const RunContext& c, const consensus::Gossip& gossip, const Resumable& r,
          const InnerConvergence& convergence, const bilevel::NeumannState& s) {
  json shared;
  if (c.rank == 0)
    shared = {{"round", gossip.rounds_used()},
              {"rounds_before", r.rounds_before},
              {"channels", gossip.channels()},
              {"inner",
               {r.inner.rounds, r.inner.consensus_error, r.inner.gradient_norm, r.inner.converged}},
              {"convergence", convergence.state()}};
  std::vector<AgentState> local;
  for (std::size_t i = 0; i < r.z.size(); ++i)
    local.push_back({as_row(r.z[i]),
                     as_row(s.u[i]),
                     as_row(s.v[i]),
                     s.watch[i],
                     {s.alpha[i], r.traffic[2 * i], r.traffic[2 * i + 1]},
                     gossip.agent_state(static_cast<int>(i))});
  c.checkpoints.write(s.step, shared, local);
}

Resumable restore(const RunContext& c, consensus::Gossip& gossip, InnerConvergence& convergence) {
  const Checkpoint from = c.checkpoints.load();
  const json& shared = from.shared;
  Resumable r;
  gossip.resume_at(shared.at("round"));
  r.rounds_before = shared.at("rounds_before");
  const json& inner = shared.at("inner");
  r.inner = {inner.at(0), inner.at(1), inner.at(2), inner.at(3)};
  convergence.restore(shared.at("convergence"));
  r.neumann.step = static_cast<int>(from.step);
  std::vector<std::vector<double>> gossip_rows;
  for (const AgentState& a : from.agents) {
    if (a.size() != 6 || a[4].size() != 3)
      throw Error("checkpoint: an agent state of another shape");
    r.z.push_back(as_vector(a[0]));
    r.neumann.u.push_back(as_vector(a[1]));
    r.neumann.v.push_back(as_vector(a[2]));
    r.neumann.watch.push_back(a[3]);
    r.neumann.alpha.push_back(a[4][0]);
    r.traffic.insert(r.traffic.end(), {a[4][1], a[4][2]});
    gossip_rows.push_back(a[5]);
  }
  gossip.restore(shared.at("channels"), gossip_rows);
  return r;
}

}  // namespace

void run_hypergradient(RunContext& c) {
  const auto start = std::chrono::steady_clock::now();
  consensus::Gossip gossip(communicator(c), c.schedule, exchange_options(c));
  bilevel::AgentSet agents;
  on_all_ranks(c.comm, [&] { agents = build_agents(c.config, gossip); });
  const int local = agents.local_count(), dim = agents.dim;

  const bilevel::InnerOptions inner_settings = inner_options(c.config, c.schedule);
  const auto options = hypergradient_options(c.config, c.agents, c.schedule_check.b);
  const std::string method = c.config.string("hypergradient.method");
  InnerConvergence convergence(c.config);
  Resumable r;
  on_all_ranks(c.comm, [&] {
    const bool neumann = options.method == bilevel::HypergradientMethod::hgp ||
                         options.method == bilevel::HypergradientMethod::server_neumann;
    if ((c.checkpoints.enabled() || c.resume) && !neumann)
      throw Error("checkpoint.every: hypergradient.method '" + method +
                  "' takes no Neumann steps to checkpoint; valid: 0, or method hgp or "
                  "server-neumann");
    if (c.resume) r = restore(c, gossip, convergence);
  });
  if (!c.resume) {
    const std::string solving = "inner solve";
    bilevel::InnerSolver inner(gossip, agents, with_progress(inner_settings, c.progress, solving));
    r.inner = inner.solve();
    r.z = inner.z();
    convergence.record(r.inner, "hypergradient");
    // Traffic of the hyper-gradient alone: counters before and after.
    for (int i = 0; i < local; ++i)
      r.traffic.insert(r.traffic.end(), {-static_cast<double>(gossip.traffic(i).messages),
                                         -static_cast<double>(gossip.traffic(i).bytes)});
    r.rounds_before = gossip.rounds_used();
  }
  const auto& inner_report = r.inner;
  bilevel::NeumannCheckpoints neumann;
  neumann.from = c.resume ? &r.neumann : nullptr;
  neumann.at_step = [&](int step, const std::function<bilevel::NeumannState()>& state) {
    c.checkpoints.at_boundary(step,
                              [&](std::int64_t) { save(c, gossip, r, convergence, state()); });
  };
  const auto result = bilevel::compute_hypergradient(gossip, agents, r.z, options, neumann);
  const std::int64_t rounds = gossip.rounds_used() - r.rounds_before;
  bilevel::check_hypergradient(gossip.comm(), result, options);
  std::vector<double>& traffic = r.traffic;
  for (int i = 0; i < local; ++i) {
    traffic[2 * i] += static_cast<double>(gossip.traffic(i).messages);
    traffic[2 * i + 1] += static_cast<double>(gossip.traffic(i).bytes);
  }
  const auto all_traffic = comm::gather_agents(gossip.comm(), gossip.map(), traffic, 2);

  // The formula at the same inner points, and at x* (Newton) when the problem can be gathered.
  const bool small = static_cast<double>(c.agents) * dim * dim <= 5e7;
  std::vector<model::Vector> exact, exact_at_optimum;
  bilevel::InnerReport optimum_report;
  if (small) {
    exact = bilevel::exact_hypergradient(gossip.comm(), gossip.map(), agents, r.z);
    bilevel::InnerOptions newton;
    newton.method = bilevel::InnerMethod::exact;
    newton.rounds = 100;
    bilevel::InnerSolver solver(gossip, agents, newton);
    optimum_report = solver.solve();
    exact_at_optimum =
        bilevel::exact_hypergradient(gossip.comm(), gossip.map(), agents, solver.z());
  }
  const auto v = comm::gather_ragged_agents(gossip.comm(), gossip.map(), as_rows(result.v));
  std::vector<std::vector<double>> e, e_star;  // `small` is the same on every rank
  if (small) {
    e = comm::gather_ragged_agents(gossip.comm(), gossip.map(), as_rows(exact));
    e_star = comm::gather_ragged_agents(gossip.comm(), gossip.map(), as_rows(exact_at_optimum));
  }
  convergence.finish(c.rank);
  const json wire = wire_facts(c, gossip.wire());
  if (c.rank != 0) return;

  std::int64_t messages = 0, bytes = 0;
  for (int i = 0; i < c.agents; ++i) {
    messages += static_cast<std::int64_t>(all_traffic[2 * i]);
    bytes += static_cast<std::int64_t>(all_traffic[2 * i + 1]);
  }
  json per_agent = json::array();
  for (int i = 0; i < c.agents; ++i) {
    json row = {{"id", i}, {"hypergradient", v[i]}};
    row["exact"] = small ? json(e[i]) : json(nullptr);
    per_agent.push_back(row);
  }
  json summary = {
      {"task", "hypergradient"},
      {"method", method},
      {"agents", c.agents},
      {"dim", dim},
      {"seed", c.config.integer("seed")},
      {"topology", c.config.string("topology.kind")},
      {"depth", options.depth},
      {"push_rounds", options.push_rounds},
      {"alpha", result.alpha},
      {"inner_solver", c.config.string("inner.solver")},
      {"inner_rounds", inner_report.rounds},
      {"inner_mixing_rounds", bilevel::mixing_rounds(inner_settings)},
      {"inner_residual", inner_report.gradient_norm},
      {"consensus_error", inner_report.consensus_error},
      {"inner_converged", inner_report.converged},
      {"hypergradient_rounds", rounds},
      {"bytes_sent", bytes},
      {"messages_sent", messages},
      {"hvp_count", result.hvp_count},
      {"jvp_count", result.jvp_count},
  };
  summary["hypergradient_error"] = small ? json(relative_error(v, e)) : json(nullptr);
  summary["exact_norm"] = small ? json(max_norm(e)) : json(nullptr);
  summary["end_to_end_error"] = small ? json(relative_error(v, e_star)) : json(nullptr);
  c.results->write("hypergradients.json", json{{"agents", per_agent}}.dump() + "\n");
  c.results->write("summary.json", summary.dump(2) + "\n");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  json timings = run_facts(c);
  timings.update(wire);
  timings["seconds_total"] = seconds;
  c.results->write("timings.json", timings.dump(2) + "\n");

  std::printf(
      "hyperpush hypergradient: %s, %d agent%s on %d rank%s, topology %s, seed %lld, d = %d\n",
      method.c_str(), c.agents, c.agents == 1 ? "" : "s", c.ranks, c.ranks == 1 ? "" : "s",
      c.config.string("topology.kind").c_str(), static_cast<long long>(c.config.integer("seed")),
      dim);
  std::printf("  inner    %s: %lld rounds, ||sum grad g(z)|| = %.2e, consensus error %.2e\n",
              c.config.string("inner.solver").c_str(), static_cast<long long>(inner_report.rounds),
              inner_report.gradient_norm, inner_report.consensus_error);
  std::printf(
      "  %-8s M = %d, S = %d, alpha = %.4g: %lld rounds, %.3f MB sent, %lld HVPs per agent\n",
      method.c_str(), options.depth, options.push_rounds, result.alpha,
      static_cast<long long>(rounds), bytes / 1e6, static_cast<long long>(result.hvp_count));
  if (small)
    std::printf("  error vs exact at the same point %.3e, at x* %.3e (max ||exact|| = %.3e)\n",
                relative_error(v, e), relative_error(v, e_star), max_norm(e));
}

}  // namespace hyperpush::app
