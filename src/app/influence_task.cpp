// Task `influence` (the HGP paper's experiment 2): decentralized influence estimation. With
// per-sample weights (model.hyper = per-sample, λ_k = 1 on every training sample of every agent),
// removing sample k of agent i sets its λ_k to 0, so to first order it changes the validation loss
// F = (1/n) Σ_j f_j by −∂F/∂λ_ik, the entry of agent i's hyper-gradient. The task computes that by
// the configured method (HGP), by the exact formula and by the local-only baseline; then it removes
// the influence.top samples of largest |∂F/∂λ| and influence.random random ones, each alone,
// re-solves the inner problem with the decentralized solver (warm-started), and compares the
// predicted with the actual change of F: R² (of the prediction as a predictor of the change) and
// Kendall's τ-b, per set and per method.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>
#include <vector>

#include "hyperpush/app/bilevel_setup.hpp"
#include "hyperpush/app/commands.hpp"
#include "hyperpush/app/task.hpp"
#include "hyperpush/comm/gather.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"
#include "run_facts.hpp"

namespace hyperpush::app {
namespace {

using nlohmann::json;

struct Removal {
  int agent = 0, sample = 0;
};

// F = (1/n) Σ_j f_j(z_j, λ_j), summed in agent order: the same bits on every rank count.
double validation_loss(const RunContext& c, const consensus::Gossip& gossip,
                       const bilevel::AgentSet& agents, const std::vector<model::Vector>& z) {
  std::vector<double> local;
  for (int i = 0; i < agents.local_count(); ++i)
    local.push_back(agents.problems[i]->outer_loss(z[i], agents.lambda[i]));
  const auto all = comm::allgather_agents(communicator(c), gossip.map(), local, 1);
  return std::accumulate(all.begin(), all.end(), 0.0) / c.agents;
}

// Every agent's row of ∂F/∂λ on every rank (rows are padded with NaN to the longest for the
// gather).
std::vector<std::vector<double>> everyones(const RunContext& c, const consensus::Gossip& gossip,
                                           const std::vector<model::Vector>& v) {
  double longest = 0;
  for (const auto& row : v) longest = std::max(longest, static_cast<double>(row.size()));
  const int width = static_cast<int>(comm::max_over_ranks(communicator(c), {longest})[0]);
  std::vector<double> padded;
  for (const auto& row : v) {
    padded.insert(padded.end(), row.data(), row.data() + row.size());
    padded.insert(padded.end(), width - row.size(), NAN);
  }
  const auto all = comm::allgather_agents(communicator(c), gossip.map(), padded, width);
  std::vector<std::vector<double>> rows(c.agents);
  for (int j = 0; j < c.agents; ++j)
    for (int k = 0; k < width && !std::isnan(all[j * width + k]); ++k)
      rows[j].push_back(all[j * width + k]);
  return rows;
}

// The `count` samples of largest |∂F/∂λ|, ties in (agent, sample) order; and `count` samples drawn
// uniformly without replacement (smallest keys of Purpose::influence).
std::vector<Removal> largest(const std::vector<std::vector<double>>& rows, int count,
                             std::vector<Removal> all) {
  const auto size = [&](const Removal& r) { return std::abs(rows[r.agent][r.sample]); };
  std::stable_sort(all.begin(), all.end(),
                   [&](const Removal& a, const Removal& b) { return size(a) > size(b); });
  all.resize(std::min<std::size_t>(all.size(), count));
  return all;
}
std::vector<Removal> drawn(std::uint64_t seed, int count, std::vector<Removal> all) {
  const auto key = [&](const Removal& r) {
    return random_bits(seed, Purpose::influence, r.agent, r.sample, 0);
  };
  std::stable_sort(all.begin(), all.end(),
                   [&](const Removal& a, const Removal& b) { return key(a) < key(b); });
  all.resize(std::min<std::size_t>(all.size(), count));
  return all;
}

// Kendall's τ-b of two equally long lists (ties counted on either side).
double kendall_tau(const std::vector<double>& a, const std::vector<double>& b) {
  double concordant = 0, discordant = 0, ties_a = 0, ties_b = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = i + 1; j < a.size(); ++j) {
      const double x = a[i] - a[j], y = b[i] - b[j];
      if (x == 0 && y == 0) continue;
      if (x == 0) {
        ++ties_a;
      } else if (y == 0) {
        ++ties_b;
      } else {
        (x * y > 0 ? concordant : discordant) += 1;
      }
    }
  const double denominator =
      std::sqrt((concordant + discordant + ties_a) * (concordant + discordant + ties_b));
  return denominator > 0 ? (concordant - discordant) / denominator : NAN;
}

// R² of `predicted` as a predictor of `actual`: 1 − Σ(a − p)² / Σ(a − ā)².
double r_squared(const std::vector<double>& predicted, const std::vector<double>& actual) {
  const double mean = std::accumulate(actual.begin(), actual.end(), 0.0) / actual.size();
  double residual = 0, total = 0;
  for (std::size_t k = 0; k < actual.size(); ++k) {
    residual += (actual[k] - predicted[k]) * (actual[k] - predicted[k]);
    total += (actual[k] - mean) * (actual[k] - mean);
  }
  return total > 0 ? 1 - residual / total : NAN;
}

}  // namespace

void run_influence(RunContext& c) {
  const auto start = std::chrono::steady_clock::now();
  const Settings& s = c.settings;
  if (s.problem.kind != ProblemKind::model || s.model.hyper != model::HyperKind::per_sample)
    throw ConfigError(
        "task influence needs per-sample weights; valid: problem.kind = model with model.hyper = "
        "per-sample",
        /*collective=*/true);
  consensus::Gossip gossip(communicator(c), c.schedule, exchange_options(c));
  bilevel::AgentSet agents;
  {
    const consensus::Gossip::Phase data(gossip, "data");
    on_all_ranks(c.comm, [&] { agents = build_agents(s, gossip); });
  }
  if (static_cast<double>(c.agents) * agents.dim * agents.dim > 5e7)
    throw ConfigError(
        "task influence compares with the exact formula, which gathers every H_j: n·d² = " +
            std::to_string(static_cast<double>(c.agents) * agents.dim * agents.dim) +
            " is over 5e7",
        /*collective=*/true);
  InnerConvergence convergence(s.inner);
  bilevel::InnerSolver inner(gossip, agents, inner_options(s.inner, c.schedule));
  convergence.record(inner.solve(), "influence");
  const std::vector<model::Vector> z = inner.z();
  const double before = validation_loss(c, gossip, agents, z);

  // ∂F/∂λ by the run's method, the exact formula and the local-only baseline.
  const auto options = hypergradient_options(s, c.schedule_check.b);
  const std::string method = name_of(options.method);
  if (options.method == bilevel::HypergradientMethod::exact ||
      options.method == bilevel::HypergradientMethod::local)
    throw ConfigError(
        "task influence compares hypergradient.method with the exact formula and "
        "the local-only baseline; valid: hgp, server-neumann, hessian-exchange",
        /*collective=*/true);
  const auto hgp = [&] {
    const consensus::Gossip::Phase phase(gossip, "hypergradient");
    auto result = bilevel::compute_hypergradient(gossip, agents, z, options);
    bilevel::check_hypergradient(gossip, result, options);
    return everyones(c, gossip, result.v);
  }();
  const auto exact =
      everyones(c, gossip, bilevel::exact_hypergradient(communicator(c), gossip.map(), agents, z));
  auto local_options = options;
  local_options.method = bilevel::HypergradientMethod::local;
  const auto local =
      everyones(c, gossip, bilevel::compute_hypergradient(gossip, agents, z, local_options).v);

  std::vector<Removal> all;
  for (int j = 0; j < c.agents; ++j)
    for (int k = 0; k < static_cast<int>(hgp[j].size()); ++k) all.push_back({j, k});
  const std::vector<std::pair<std::string, std::vector<Removal>>> sets = {
      {"top", largest(hgp, s.influence.top, all)},
      {"random", drawn(s.seed, s.influence.random, all)}};

  // Each removal alone: λ_k ← 0 on its agent's rank, re-solve (warm), F, λ_k back.
  json removals = json::array(), figures;
  {
    const consensus::Gossip::Phase phase(gossip, "retraining");
    for (const auto& [name, chosen] : sets) {
      std::vector<double> actual, predicted[3];
      for (const Removal& r : chosen) {
        const int i = r.agent - agents.first;
        const bool mine = i >= 0 && i < agents.local_count();
        double weight = 0;
        if (mine) std::swap(weight, agents.lambda[i][r.sample]);
        convergence.record(inner.solve(), "influence, without sample " + std::to_string(r.sample) +
                                              " of agent " + std::to_string(r.agent));
        actual.push_back(validation_loss(c, gossip, agents, inner.z()) - before);
        if (mine) agents.lambda[i][r.sample] = weight;
        const double by[3] = {-hgp[r.agent][r.sample], -exact[r.agent][r.sample],
                              -local[r.agent][r.sample]};
        for (int m = 0; m < 3; ++m) predicted[m].push_back(by[m]);
        removals.push_back({{"set", name},
                            {"agent", r.agent},
                            {"sample", r.sample},
                            {"predicted", by[0]},
                            {"predicted_exact", by[1]},
                            {"predicted_local", by[2]},
                            {"actual", actual.back()}});
      }
      const std::string methods[3] = {method, "exact", "local"};
      for (int m = 0; m < 3; ++m)
        figures[methods[m]][name] = {{"r2", r_squared(predicted[m], actual)},
                                     {"kendall_tau", kendall_tau(predicted[m], actual)}};
    }
  }
  // How the estimators rank every sample against the exact formula's ranking.
  std::vector<double> flat[3];
  for (const Removal& r : all) {
    flat[0].push_back(hgp[r.agent][r.sample]);
    flat[1].push_back(exact[r.agent][r.sample]);
    flat[2].push_back(local[r.agent][r.sample]);
  }
  convergence.finish(c.rank);
  if (c.rank != 0) return;

  const json summary = {
      {"task", "influence"},
      {"agents", c.agents},
      {"seed", s.seed},
      {"topology", s.topology.kind},
      {"samples", all.size()},
      {"validation_loss", before},
      {"method", method},
      {"depth", options.depth},
      {"push_rounds", options.push_rounds},
      {"inner_converged", convergence.converged()},
      {"inner_worst_residual", convergence.worst_residual()},
      {"kendall_tau_method_vs_exact", kendall_tau(flat[0], flat[1])},
      {"kendall_tau_local_vs_exact", kendall_tau(flat[2], flat[1])},
      {"removed", figures},
  };
  c.results->write("influence.json", json{{"removals", removals}}.dump(1) + "\n");
  c.results->write("summary.json", summary.dump(2) + "\n");
  std::printf("hyperpush influence: %d agents, %zu training samples, F = %.6g\n", c.agents,
              all.size(), before);
  for (const auto& [set, chosen] : sets) {
    std::printf("  %-6s %3zu removals:", set.c_str(), chosen.size());
    for (const std::string& m : {method, std::string("exact"), std::string("local")})
      std::printf("  %s R² %.3f τ %.3f", m.c_str(), figures[m][set].value("r2", NAN),
                  figures[m][set].value("kendall_tau", NAN));
    std::printf("\n");
  }
  std::printf("  ranking of all samples vs the exact formula's: %s τ %.4f, local τ %.4f\n",
              method.c_str(), kendall_tau(flat[0], flat[1]), kendall_tau(flat[2], flat[1]));
  json timings = run_facts(c);
  timings["seconds_total"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  c.results->write("timings.json", timings.dump(2) + "\n");
}

}  // namespace hyperpush::app
