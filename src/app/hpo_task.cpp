// Task `hpo`: decentralized hyperparameter optimization. Each outer step k:
//   z ← inner solve at λ (warm start) ;  v_i ← hyper-gradient ;  λ_i ← optimizer step on v_i
// λ_i stays on its agent throughout. v_i estimates dF/dλ_i with F = (1/n) Σ_j f_j (so a plain sgd
// step sees gradients 1/n the size of agent i's own; adam is invariant to that scale).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "hyperpush/app/bilevel_setup.hpp"
#include "hyperpush/app/commands.hpp"
#include "hyperpush/app/task.hpp"
#include "hyperpush/comm/gather.hpp"
#include "hyperpush/error.hpp"
#include "run_facts.hpp"
#include "surrogate_tree.hpp"

namespace hyperpush::app {
namespace {

using nlohmann::json;

struct StepMetrics {
  std::int64_t step;
  double validation_loss;  // F = (1/n) Σ_i f_i(z_i, λ_i)
  double test_accuracy;    // mean over agents of the accuracy of z_i on agent i's test part
  double lambda_min, lambda_mean, lambda_max;  // over all agents' λ entries
  double hypergradient_norm;                   // max_i ‖v_i‖ (0 after the last step)
  double cosine;  // cos(v, exact) over all agents' stacked hyper-gradients; NaN when not computed
  bilevel::InnerReport inner;  // the step's inner solve
};

// Adam (Kingma & Ba) or plain gradient descent on one agent's λ_i.
class LambdaOptimizer {
 public:
  LambdaOptimizer(bool adam, double lr, int size)
      : adam_(adam), lr_(lr), m_(model::Vector::Zero(size)), v_(model::Vector::Zero(size)) {}
  void step(model::Vector& lambda, const model::Vector& g) {
    if (!adam_) {
      lambda -= lr_ * g;  // λ ← λ − η g
      return;
    }
    ++t_;
    m_ = 0.9 * m_ + 0.1 * g;                  // m ← β1 m + (1 − β1) g
    v_ = 0.999 * v_ + 0.001 * g.cwiseAbs2();  // v ← β2 v + (1 − β2) g²
    const double c1 = 1 - std::pow(0.9, t_), c2 = 1 - std::pow(0.999, t_);
    lambda.array() -= lr_ * (m_.array() / c1) / ((v_.array() / c2).sqrt() + 1e-8);
  }
  // m, v and t, for checkpoints.
  AgentState state() const {
    return {{m_.data(), m_.data() + m_.size()}, {v_.data(), v_.data() + v_.size()}, {double(t_)}};
  }
  void restore(const std::vector<double>& m, const std::vector<double>& v, double t) {
    if (m.size() != static_cast<std::size_t>(m_.size()) || v.size() != m.size())
      throw Error("checkpoint: an optimizer state of another size (model.hyper changed)");
    m_ = Eigen::Map<const model::Vector>(m.data(), m_.size());
    v_ = Eigen::Map<const model::Vector>(v.data(), v_.size());
    t_ = static_cast<int>(t);
  }

 private:
  bool adam_;
  double lr_;
  model::Vector m_, v_;
  int t_ = 0;
};

// Gathers the per-agent numbers of one step and reduces them on rank 0.
StepMetrics measure(RunContext& c, const consensus::Gossip& gossip, const bilevel::AgentSet& agents,
                    const bilevel::InnerReport& inner, const std::vector<model::Vector>& z,
                    const std::vector<model::Vector>& v, const std::vector<model::Vector>& exact,
                    std::int64_t step, std::ostream* metrics) {
  // cos(v, exact) of the stacked vectors: Σ_i v_i·e_i / (‖v‖ ‖e‖), the three sums gathered.
  std::vector<double> dots(3 * agents.local_count(), 0.0);
  for (int i = 0; i < agents.local_count() && !exact.empty(); ++i) {
    dots[3 * i] = v[i].dot(exact[i]);
    dots[3 * i + 1] = v[i].squaredNorm();
    dots[3 * i + 2] = exact[i].squaredNorm();
  }
  const auto sums = comm::sum_in_agent_order(
      comm::allgather_agents(gossip.comm(), gossip.map(), dots, 3), c.agents, 3);
  const int local = agents.local_count();
  std::vector<double> rows(6 * local);
  for (int i = 0; i < local; ++i) {
    const auto& p = *agents.problems[i];
    const auto& lambda = agents.lambda[i];
    rows[6 * i] = p.outer_loss(z[i], lambda);
    rows[6 * i + 1] = p.test_metric(z[i], lambda);
    rows[6 * i + 2] = lambda.minCoeff();
    rows[6 * i + 3] = lambda.mean();
    rows[6 * i + 4] = lambda.maxCoeff();
    rows[6 * i + 5] = v.empty() ? 0.0 : v[i].norm();
  }
  const auto all = comm::gather_agents(gossip.comm(), gossip.map(), rows, 6);
  StepMetrics m{step, 0, 0, INFINITY, 0, -INFINITY, 0, NAN, inner};
  if (!exact.empty()) m.cosine = sums[0] / std::sqrt(sums[1] * sums[2]);
  if (c.rank == 0)
    for (int i = 0; i < c.agents; ++i) m.validation_loss += all[6 * i] / c.agents;
  // Every rank needs F for the health check (collective: the same verdict everywhere).
  MPI_Bcast(&m.validation_loss, 1, MPI_DOUBLE, 0, c.comm);
  if (!std::isfinite(m.validation_loss))
    throw Divergence("outer step " + std::to_string(step) + ": the validation loss is " +
                     std::to_string(m.validation_loss) + "; lower outer.lr");
  if (c.rank != 0) return m;
  for (int i = 0; i < c.agents; ++i) {
    const double* r = all.data() + 6 * i;
    m.test_accuracy += r[1] / c.agents;
    m.lambda_min = std::min(m.lambda_min, r[2]);
    m.lambda_mean += r[3] / c.agents;
    m.lambda_max = std::max(m.lambda_max, r[4]);
    m.hypergradient_norm = std::max(m.hypergradient_norm, r[5]);
    if (metrics)
      *metrics << json{{"step", step},
                       {"agent", i},
                       {"validation_loss", r[0]},
                       {"test_accuracy", r[1]},
                       {"lambda_mean", r[3]},
                       {"hypergradient_norm", r[5]},
                       {"inner_rounds", inner.rounds},
                       {"inner_residual", inner.gradient_norm},
                       {"inner_consensus_error", inner.consensus_error}}
                      .dump()
               << '\n';
  }
  return m;
}

// `step()` with "outer step k: " leading a divergence's message.
template <typename Step>
auto at_outer_step(std::int64_t k, const Step& step) {
  try {
    return step();
  } catch (const Divergence& e) {
    throw Divergence("outer step " + std::to_string(k) + ": " + e.what());
  }
}

json to_json(const StepMetrics& m) {
  return {{"step", m.step},
          {"validation_loss", m.validation_loss},
          {"test_accuracy", m.test_accuracy},
          {"lambda_min", m.lambda_min},
          {"lambda_mean", m.lambda_mean},
          {"lambda_max", m.lambda_max},
          {"hypergradient_norm", m.hypergradient_norm},
          {"cosine_to_exact", std::isnan(m.cosine) ? json(nullptr) : json(m.cosine)},
          {"inner_rounds", m.inner.rounds},
          {"inner_residual", m.inner.gradient_norm},
          {"inner_consensus_error", m.inner.consensus_error}};
}

StepMetrics step_metrics(const json& j) {
  StepMetrics m{};
  m.step = j.at("step");
  m.validation_loss = j.at("validation_loss");
  m.test_accuracy = j.at("test_accuracy");
  m.lambda_min = j.at("lambda_min");
  m.lambda_mean = j.at("lambda_mean");
  m.lambda_max = j.at("lambda_max");
  m.hypergradient_norm = j.at("hypergradient_norm");
  m.cosine = j.at("cosine_to_exact").is_null() ? NAN : j.at("cosine_to_exact").get<double>();
  m.inner.rounds = j.at("inner_rounds");
  m.inner.gradient_norm = j.at("inner_residual");
  m.inner.consensus_error = j.at("inner_consensus_error");
  return m;
}

json to_json(const std::vector<StepMetrics>& history) {
  json steps = json::array();
  for (const auto& m : history) steps.push_back(to_json(m));
  return steps;
}

// K outer steps with the given hyper-gradient method; returns the metrics of steps 0 .. K.
// `wire` accumulates this rank's MPI traffic. `phase` ("main", "baseline") and `before` (what
// earlier phases produced) go into the checkpoints it takes at step boundaries; `from`, when given,
// is the checkpoint of this phase to continue from.
std::vector<StepMetrics> optimize(RunContext& c, const std::string& phase,
                                  const std::string& method,
                                  const bilevel::InnerOptions& inner_settings,
                                  std::ostream* metrics, InnerConvergence& convergence,
                                  comm::WireTraffic& wire, nlohmann::json* surrogates,
                                  const Checkpoint* from, const json& before) {
  consensus::Gossip gossip(communicator(c), c.schedule, exchange_options(c));
  bilevel::AgentSet agents;
  std::vector<data::AgentSplit> parts;
  on_all_ranks(c.comm, [&] { agents = build_agents(c.config, gossip, &parts); });
  std::string solving;  // "hgp step k, inner solve", for the progress lines
  bilevel::InnerSolver inner(gossip, agents, with_progress(inner_settings, c.progress, solving));
  auto options = hypergradient_options(c.config, c.agents, c.schedule_check.b);
  options.method = bilevel::hypergradient_method(method);
  const bool adam = c.config.string("outer.optimizer") == "adam";
  std::vector<LambdaOptimizer> optimizers;
  for (const auto& lambda : agents.lambda)
    optimizers.emplace_back(adam, c.config.real("outer.lr"), static_cast<int>(lambda.size()));
  const std::int64_t steps = c.config.integer("outer.steps");
  // The exact hyper-gradient at each step, when the problem is small enough to gather.
  const int dim = agents.dim;
  const bool small = static_cast<double>(c.agents) * dim * dim <= 5e7 && dim <= 2000;
  std::vector<StepMetrics> history;
  const std::int64_t first = from ? from->step : 0;
  if (from) {
    std::vector<std::vector<double>> gossip_rows;
    gossip.resume_at(from->shared.at("round"));
    inner.restore_counters(from->shared.at("inner"));
    for (int i = 0; i < agents.local_count(); ++i) {
      const AgentState& s = from->agents.at(i);
      agents.lambda[i] = Eigen::Map<const model::Vector>(s.at(0).data(), s.at(0).size());
      optimizers[i].restore(s.at(1), s.at(2), s.at(3).at(0));
      inner.restore_agent(i, {s.at(4), s.at(5), s.at(6)});
      gossip_rows.push_back(s.at(7));
    }
    gossip.restore(from->shared.at("channels"), gossip_rows);
    convergence.restore(from->shared.at("convergence"));
    for (const auto& m : from->shared.at("history")) history.push_back(step_metrics(m));
  }
  // Everything the later steps depend on: per agent λ_i, the optimizer's, the inner solver's and
  // the exchanges' state (traffic, robust mode's running sums); the schedule's round, the inner
  // solver's counters, the record and metrics so far.
  const auto checkpoint = [&](std::int64_t k) {
    json shared;
    if (c.rank == 0)
      shared = {{"phase", phase},
                {"round", gossip.rounds_used()},
                {"channels", gossip.channels()},
                {"inner", inner.counters()},
                {"convergence", convergence.state()},
                {"history", to_json(history)},
                {"metrics", c.results->contents("metrics.jsonl")},
                {"before", before}};
    std::vector<AgentState> local;
    for (int i = 0; i < agents.local_count(); ++i) {
      const auto& lambda = agents.lambda[i];
      AgentState s{{lambda.data(), lambda.data() + lambda.size()}};
      for (auto& part : optimizers[i].state()) s.push_back(std::move(part));
      for (auto& part : inner.agent_state(i)) s.push_back(std::move(part));
      s.push_back(gossip.agent_state(i));
      local.push_back(std::move(s));
    }
    c.checkpoints.write(k, shared, local);
  };
  for (std::int64_t k = first; k <= steps; ++k) {
    if (k > first) c.checkpoints.at_boundary(k, checkpoint);
    solving = method + " step " + std::to_string(k) + ", inner solve";
    const auto report = at_outer_step(k, [&] { return inner.solve(); });
    convergence.record(report, "outer step " + std::to_string(k));
    if (k == steps) {
      history.push_back(measure(c, gossip, agents, report, inner.z(), {}, {}, k, metrics));
      if (surrogates) *surrogates = surrogate_trees(c, agents, parts, inner.z());
      break;
    }
    const auto v = at_outer_step(k, [&] {
      auto result = bilevel::compute_hypergradient(gossip, agents, inner.z(), options);
      bilevel::check_hypergradient(gossip.comm(), result, options);
      return std::move(result.v);
    });
    const auto exact =
        small ? bilevel::exact_hypergradient(gossip.comm(), gossip.map(), agents, inner.z())
              : std::vector<model::Vector>{};
    history.push_back(measure(c, gossip, agents, report, inner.z(), v, exact, k, metrics));
    for (int i = 0; i < agents.local_count(); ++i) optimizers[i].step(agents.lambda[i], v[i]);
    if (c.rank == 0) {
      char detail[96];
      std::snprintf(detail, sizeof detail, "steps, validation loss %.5g at step %lld",
                    history.back().validation_loss, static_cast<long long>(k));
      c.progress.update(method, k + 1, steps, detail);
    }
  }
  wire.messages += gossip.wire().messages;
  wire.bytes += gossip.wire().bytes;
  return history;
}

// Six decimals, or six significant digits once fixed point would print a long row of digits.
std::string loss_text(double loss) {
  char text[32];
  std::snprintf(text, sizeof text, std::abs(loss) < 1e6 ? "%.6f" : "%.6g", loss);
  return text;
}

}  // namespace

void run_hpo(RunContext& c) {
  const auto start = std::chrono::steady_clock::now();
  const std::string method = c.config.string("hypergradient.method");
  std::ostream* metrics = c.rank == 0 ? &c.results->stream("metrics.jsonl") : nullptr;
  json surrogates;
  const bool surrogate = c.config.boolean("outer.surrogate_tree");
  on_all_ranks(c.comm, [&] {
    if (surrogate && c.config.string("problem.kind") != "model")
      throw Error("outer.surrogate_tree needs a model on data (problem.kind = \"model\")");
    if (c.config.string("problem.kind") == "model" &&
        c.config.string("data.dataset") != "synthetic-mixture" &&
        c.config.real("data.test_fraction") == 0)
      throw Error(
          "data.test_fraction = 0 leaves the agents without test samples, and hpo reports each "
          "agent's test accuracy on them; valid: > 0 (e.g. 0.2)");
  });
  const bilevel::InnerOptions inner = inner_options(c.config, c.schedule);  // measured once
  InnerConvergence convergence(c.config), baseline_convergence(c.config);
  comm::WireTraffic sent;
  Checkpoint from;
  if (c.resume) on_all_ranks(c.comm, [&] { from = c.checkpoints.load(); });
  if (c.resume && metrics) *metrics << from.shared.at("metrics").get<std::string>();
  const bool in_baseline = c.resume && from.shared.at("phase") == "baseline";
  std::vector<StepMetrics> history;
  if (in_baseline) {  // the main run ended before the checkpoint: its results are in it
    const json& main = from.shared.at("before");
    for (const auto& m : main.at("history")) history.push_back(step_metrics(m));
    convergence.restore(main.at("convergence"));
    surrogates = main.at("surrogates");
  } else {
    history = optimize(c, "main", method, inner, metrics, convergence, sent,
                       surrogate ? &surrogates : nullptr, c.resume ? &from : nullptr, nullptr);
  }
  std::vector<StepMetrics> local;
  if (c.config.boolean("outer.baseline_local")) {
    const json main = {{"history", to_json(history)},
                       {"convergence", convergence.state()},
                       {"surrogates", surrogates}};
    local = optimize(c, "baseline", "local", inner, nullptr, baseline_convergence, sent, nullptr,
                     in_baseline ? &from : nullptr, main);
  }
  convergence.finish(c.rank);
  baseline_convergence.finish(c.rank, "local-only baseline");
  const json wire = wire_facts(c, sent);
  if (c.rank != 0) return;

  const json steps = to_json(history);
  json summary = {
      {"task", "hpo"},
      {"method", method},
      {"agents", c.agents},
      {"seed", c.config.integer("seed")},
      {"topology", c.config.string("topology.kind")},
      {"steps", c.config.integer("outer.steps")},
      {"initial_validation_loss", history.front().validation_loss},
      {"final_validation_loss", history.back().validation_loss},
      {"initial_test_accuracy", history.front().test_accuracy},
      {"test_accuracy", history.back().test_accuracy},
      {"history", steps},
      {"inner_converged", convergence.converged()},
      {"inner_worst_residual", convergence.worst_residual()},
      {"inner_worst_consensus_error", convergence.worst_consensus_error()},
      {"inner_most_rounds", convergence.most_rounds()},
      {"inner_mixing_rounds", bilevel::mixing_rounds(inner)},
  };
  double min_cosine = INFINITY;
  for (std::size_t k = 0; k + 1 < history.size(); ++k)
    min_cosine = std::min(min_cosine, history[k].cosine);
  summary["min_cosine_to_exact"] = std::isfinite(min_cosine) ? json(min_cosine) : json(nullptr);
  if (!local.empty()) {
    summary["local_final_validation_loss"] = local.back().validation_loss;
    summary["local_test_accuracy"] = local.back().test_accuracy;
    summary["local_inner_converged"] = baseline_convergence.converged();
  }
  if (surrogate) summary["surrogate_trees"] = surrogates;
  c.results->write("summary.json", summary.dump(2) + "\n");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  json timings = run_facts(c);
  timings.update(wire);
  timings["seconds_total"] = seconds;
  if (c.checkpoints.enabled()) timings["checkpoints"] = c.checkpoints.facts();
  c.results->write("timings.json", timings.dump(2) + "\n");

  std::printf("hyperpush hpo: %s, %d agent%s on %d rank%s, topology %s, %s %s on %s (%s split)\n",
              method.c_str(), c.agents, c.agents == 1 ? "" : "s", c.ranks, c.ranks == 1 ? "" : "s",
              c.config.string("topology.kind").c_str(), c.config.string("model.kind").c_str(),
              c.config.string("model.hyper").c_str(), c.config.string("data.dataset").c_str(),
              c.config.string("data.partition").c_str());
  std::printf("  %5s  %15s  %13s  %12s\n", "step", "validation loss", "test accuracy",
              "mean lambda");
  const std::size_t stride = std::max<std::size_t>(1, history.size() / 10);
  for (std::size_t k = 0; k < history.size(); ++k)
    if (k % stride == 0 || k + 1 == history.size())
      std::printf("  %5lld  %15s  %13.4f  %12.4f\n", static_cast<long long>(history[k].step),
                  loss_text(history[k].validation_loss).c_str(), history[k].test_accuracy,
                  history[k].lambda_mean);
  if (!local.empty())
    std::printf("  local-only baseline: validation loss %s, test accuracy %.4f\n",
                loss_text(local.back().validation_loss).c_str(), local.back().test_accuracy);
  if (surrogate)
    std::printf("  surrogate trees (%s, depth %d): mean fidelity %.4f, mean sensitivity %.4f\n",
                surrogates["learner"].get<std::string>().c_str(),
                surrogates["max_depth"].get<int>(), surrogates["mean_fidelity"].get<double>(),
                surrogates["mean_sensitivity"].get<double>());
}

}  // namespace hyperpush::app
