// Task `hpo`: decentralized hyperparameter optimization. Each outer step k:
//   z ← inner solve at λ (warm start) ;  v_i ← hyper-gradient ;  λ_i ← optimizer step on v_i
// λ_i stays on its agent throughout. v_i estimates dF/dλ_i with F = (1/n) Σ_j f_j (so a plain sgd
// step sees gradients 1/n the size of agent i's own; adam is invariant to that scale).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
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
      comm::allgather_agents(communicator(c), gossip.map(), dots, 3), c.agents, 3);
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
  const auto all = comm::gather_agents(communicator(c), gossip.map(), rows, 6);
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

// One phase of the outer loop ("main", or the local-only "baseline"): K outer steps with one
// hyper-gradient method, each agent's λ_i and optimizer, the inner solver warm-started across
// steps, and the phase's checkpoints.
class OuterLoop {
 public:
  // `convergence` records the inner solves; `before` (what earlier phases produced) goes into the
  // checkpoints.
  OuterLoop(RunContext& c, const std::string& phase, bilevel::HypergradientMethod method,
            const bilevel::InnerOptions& inner_settings, InnerConvergence& convergence,
            const json& before)
      : c_(c),
        phase_(phase),
        method_(name_of(method)),
        before_(before),
        convergence_(convergence),
        gossip_(communicator(c), c.schedule, exchange_options(c)) {
    {
      const consensus::Gossip::Phase data(gossip_, "data");
      on_all_ranks(c.comm, [&] { agents_ = build_agents(c.settings, gossip_, &parts_); });
    }
    inner_ = std::make_unique<bilevel::InnerSolver>(
        gossip_, agents_, with_progress(inner_settings, c.progress, solving_));
    options_ = hypergradient_options(c.settings, c.schedule_check.b);
    options_.method = method;
    const bool adam = c.settings.outer.optimizer == Optimizer::adam;
    for (const auto& lambda : agents_.lambda)
      optimizers_.emplace_back(adam, c.settings.outer.lr, static_cast<int>(lambda.size()));
  }

  // Continue from `from`, a checkpoint of this phase: per agent λ_i, its optimizer's, inner
  // solver's and exchanges' state; the schedule's round, the solver's counters, the record.
  void restore(const Checkpoint& from) {
    first_ = from.step;
    std::vector<std::vector<double>> gossip_rows;
    gossip_.resume_at(from.shared.at("round"));
    inner_->restore_counters(from.shared.at("inner"));
    for (int i = 0; i < agents_.local_count(); ++i) {
      const AgentState& s = from.agents.at(i);
      agents_.lambda[i] = Eigen::Map<const model::Vector>(s.at(0).data(), s.at(0).size());
      optimizers_[i].restore(s.at(1), s.at(2), s.at(3).at(0));
      inner_->restore_agent(i, {s.at(4), s.at(5), s.at(6)});
      gossip_rows.push_back(s.at(7));
    }
    gossip_.restore(from.shared.at("channels"), gossip_rows);
    convergence_.restore(from.shared.at("convergence"));
    for (const auto& m : from.shared.at("history")) history_.push_back(step_metrics(m));
  }

  // Steps first .. outer.steps; returns the metrics of steps 0 .. K. `metrics` (rank 0, may be
  // null) gets the per-agent lines; `surrogates`, when given, the surrogate trees at the end.
  std::vector<StepMetrics> run(std::ostream* metrics, json* surrogates) {
    const std::int64_t steps = c_.settings.outer.steps;
    for (std::int64_t k = first_; k <= steps; ++k) {
      if (k > first_) c_.checkpoints.at_boundary(k, [&](std::int64_t at) { checkpoint(at); });
      solving_ = method_ + " step " + std::to_string(k) + ", inner solve";
      const auto report = at_outer_step(k, [&] { return inner_->solve(); });
      convergence_.record(report, "outer step " + std::to_string(k));
      if (k == steps) {
        history_.push_back(measure(c_, gossip_, agents_, report, inner_->z(), {}, {}, k, metrics));
        if (surrogates) *surrogates = surrogate_trees(c_, agents_, parts_, inner_->z());
        break;
      }
      step(k, report, metrics);
    }
    return history_;
  }

  const consensus::Gossip& gossip() const { return gossip_; }

 private:
  // Outer step k < K after its inner solve: the hyper-gradient, the metrics, the λ_i updates.
  void step(std::int64_t k, const bilevel::InnerReport& report, std::ostream* metrics) {
    const auto& z = inner_->z();
    const auto v = at_outer_step(k, [&] {
      options_.draw = k;  // every outer step draws its own minibatches
      auto result = bilevel::compute_hypergradient(gossip_, agents_, z, options_);
      bilevel::check_hypergradient(gossip_, result, options_);
      return std::move(result.v);
    });
    // The exact hyper-gradient at each step, when the problem is small enough to gather.
    const int dim = agents_.dim;
    const bool small = static_cast<double>(c_.agents) * dim * dim <= 5e7 && dim <= 2000;
    std::vector<model::Vector> exact;
    if (small) {
      const consensus::Gossip::Phase timed(gossip_, "exact formula");
      exact = bilevel::exact_hypergradient(communicator(c_), gossip_.map(), agents_, z);
    }
    history_.push_back(measure(c_, gossip_, agents_, report, z, v, exact, k, metrics));
    for (int i = 0; i < agents_.local_count(); ++i) optimizers_[i].step(agents_.lambda[i], v[i]);
    if (c_.rank != 0) return;
    char detail[96];
    std::snprintf(detail, sizeof detail, "steps, validation loss %.5g at step %lld",
                  history_.back().validation_loss, static_cast<long long>(k));
    c_.progress.update(method_, k + 1, c_.settings.outer.steps, detail);
  }

  // Everything the later steps depend on (what restore reads), at step boundary k.
  void checkpoint(std::int64_t k) const {
    json shared;
    if (c_.rank == 0)
      shared = {{"phase", phase_},
                {"round", gossip_.rounds_used()},
                {"channels", gossip_.channels()},
                {"inner", inner_->counters()},
                {"convergence", convergence_.state()},
                {"history", to_json(history_)},
                {"metrics", c_.results->contents("metrics.jsonl")},
                {"before", before_}};
    std::vector<AgentState> local;
    for (int i = 0; i < agents_.local_count(); ++i) {
      const auto& lambda = agents_.lambda[i];
      AgentState s{{lambda.data(), lambda.data() + lambda.size()}};
      for (auto& part : optimizers_[i].state()) s.push_back(std::move(part));
      for (auto& part : inner_->agent_state(i)) s.push_back(std::move(part));
      s.push_back(gossip_.agent_state(i));
      local.push_back(std::move(s));
    }
    c_.checkpoints.write(k, shared, local);
  }

  RunContext& c_;
  std::string phase_, method_;
  const json& before_;
  InnerConvergence& convergence_;
  consensus::Gossip gossip_;
  bilevel::AgentSet agents_;
  std::vector<data::AgentSplit> parts_;
  std::string solving_;  // "hgp step k, inner solve", for the progress lines
  std::unique_ptr<bilevel::InnerSolver> inner_;
  bilevel::HypergradientOptions options_;
  std::vector<LambdaOptimizer> optimizers_;
  std::int64_t first_ = 0;
  std::vector<StepMetrics> history_;
};

// What the phases of a run cost: MPI traffic and time per phase of the gossip.
struct RunCost {
  comm::WireTraffic wire;
  PhaseTimes times;
};

// One phase from its start or from `from`; adds the phase's costs to `cost`.
std::vector<StepMetrics> optimize(RunContext& c, const std::string& phase,
                                  bilevel::HypergradientMethod method,
                                  const bilevel::InnerOptions& inner_settings,
                                  std::ostream* metrics, InnerConvergence& convergence,
                                  RunCost& cost, json* surrogates, const Checkpoint* from,
                                  const json& before) {
  OuterLoop loop(c, phase, method, inner_settings, convergence, before);
  if (from) loop.restore(*from);
  auto history = loop.run(metrics, surrogates);
  cost.wire.messages += loop.gossip().wire().messages;
  cost.wire.bytes += loop.gossip().wire().bytes;
  add_phase_times(cost.times, loop.gossip());
  return history;
}

// Six decimals, or six significant digits once fixed point would print a long row of digits.
std::string loss_text(double loss) {
  char text[32];
  std::snprintf(text, sizeof text, std::abs(loss) < 1e6 ? "%.6f" : "%.6g", loss);
  return text;
}

// hpo's own checks of the config, on every rank.
void check_hpo_config(const RunContext& c) {
  on_all_ranks(c.comm, [&] {
    if (c.settings.outer.surrogate_tree && c.settings.problem.kind != ProblemKind::model)
      throw Error("outer.surrogate_tree needs a model on data (problem.kind = \"model\")");
    if (c.settings.problem.kind == ProblemKind::model &&
        c.settings.data.dataset != Dataset::synthetic_mixture && c.settings.data.test_fraction == 0)
      throw Error(
          "data.test_fraction = 0 leaves the agents without test samples, and hpo reports each "
          "agent's test accuracy on them; valid: > 0 (e.g. 0.2)");
  });
}

// What the run produced (rank 0): the main run's and the baseline's metrics and records.
struct HpoOutcome {
  std::vector<StepMetrics> history, local;
  const InnerConvergence& convergence;
  const InnerConvergence& baseline_convergence;
  int mixing_rounds;
  json surrogates;
};

json hpo_summary(const RunContext& c, const HpoOutcome& o) {
  const auto& history = o.history;
  json summary = {
      {"task", "hpo"},
      {"method", name_of(c.settings.hypergradient.method)},
      {"agents", c.agents},
      {"seed", c.settings.seed},
      {"topology", c.settings.topology.kind},
      {"steps", c.settings.outer.steps},
      {"initial_validation_loss", history.front().validation_loss},
      {"final_validation_loss", history.back().validation_loss},
      {"initial_test_accuracy", history.front().test_accuracy},
      {"test_accuracy", history.back().test_accuracy},
      {"history", to_json(history)},
      {"inner_converged", o.convergence.converged()},
      {"inner_worst_residual", o.convergence.worst_residual()},
      {"inner_worst_consensus_error", o.convergence.worst_consensus_error()},
      {"inner_most_rounds", o.convergence.most_rounds()},
      {"inner_mixing_rounds", o.mixing_rounds},
  };
  double min_cosine = INFINITY;
  for (std::size_t k = 0; k + 1 < history.size(); ++k)
    min_cosine = std::min(min_cosine, history[k].cosine);
  summary["min_cosine_to_exact"] = std::isfinite(min_cosine) ? json(min_cosine) : json(nullptr);
  if (!o.local.empty()) {
    summary["local_final_validation_loss"] = o.local.back().validation_loss;
    summary["local_test_accuracy"] = o.local.back().test_accuracy;
    summary["local_inner_converged"] = o.baseline_convergence.converged();
  }
  if (c.settings.outer.surrogate_tree) summary["surrogate_trees"] = o.surrogates;
  return summary;
}

// A short human-readable account on stdout.
void print_account(const RunContext& c, const HpoOutcome& o) {
  const Settings& settings = c.settings;
  std::printf("hyperpush hpo: %s, %d agent%s on %d rank%s, topology %s, %s %s on %s (%s split)\n",
              name_of(settings.hypergradient.method), c.agents, c.agents == 1 ? "" : "s", c.ranks,
              c.ranks == 1 ? "" : "s", settings.topology.kind.c_str(), name_of(settings.model.kind),
              name_of(settings.model.hyper), name_of(settings.data.dataset),
              name_of(settings.data.partition));
  std::printf("  %5s  %15s  %13s  %12s\n", "step", "validation loss", "test accuracy",
              "mean lambda");
  const auto& history = o.history;
  const std::size_t stride = std::max<std::size_t>(1, history.size() / 10);
  for (std::size_t k = 0; k < history.size(); ++k)
    if (k % stride == 0 || k + 1 == history.size())
      std::printf("  %5lld  %15s  %13.4f  %12.4f\n", static_cast<long long>(history[k].step),
                  loss_text(history[k].validation_loss).c_str(), history[k].test_accuracy,
                  history[k].lambda_mean);
  if (!o.local.empty())
    std::printf("  local-only baseline: validation loss %s, test accuracy %.4f\n",
                loss_text(o.local.back().validation_loss).c_str(), o.local.back().test_accuracy);
  if (settings.outer.surrogate_tree)
    std::printf("  surrogate trees (%s, depth %d): mean fidelity %.4f, mean sensitivity %.4f\n",
                o.surrogates["learner"].get<std::string>().c_str(),
                o.surrogates["max_depth"].get<int>(), o.surrogates["mean_fidelity"].get<double>(),
                o.surrogates["mean_sensitivity"].get<double>());
}

}  // namespace

void run_hpo(RunContext& c) {
  const auto start = std::chrono::steady_clock::now();
  std::ostream* metrics = c.rank == 0 ? &c.results->stream("metrics.jsonl") : nullptr;
  const bool surrogate = c.settings.outer.surrogate_tree;
  check_hpo_config(c);
  const bilevel::InnerOptions inner = inner_options(c.settings.inner, c.schedule);  // measured once
  InnerConvergence convergence(c.settings.inner), baseline_convergence(c.settings.inner);
  HpoOutcome o{{}, {}, convergence, baseline_convergence, bilevel::mixing_rounds(inner), {}};
  RunCost cost;
  Checkpoint from;
  if (c.resume) on_all_ranks(c.comm, [&] { from = c.checkpoints.load(); });
  if (c.resume && metrics) *metrics << from.shared.at("metrics").get<std::string>();
  const bool in_baseline = c.resume && from.shared.at("phase") == "baseline";
  if (in_baseline) {  // the main run ended before the checkpoint: its results are in it
    const json& main = from.shared.at("before");
    for (const auto& m : main.at("history")) o.history.push_back(step_metrics(m));
    convergence.restore(main.at("convergence"));
    o.surrogates = main.at("surrogates");
  } else {
    o.history =
        optimize(c, "main", c.settings.hypergradient.method, inner, metrics, convergence, cost,
                 surrogate ? &o.surrogates : nullptr, c.resume ? &from : nullptr, nullptr);
  }
  if (c.settings.outer.baseline_local) {
    const json main = {{"history", to_json(o.history)},
                       {"convergence", convergence.state()},
                       {"surrogates", o.surrogates}};
    o.local = optimize(c, "baseline", bilevel::HypergradientMethod::local, inner, nullptr,
                       baseline_convergence, cost, nullptr, in_baseline ? &from : nullptr, main);
  }
  convergence.finish(c.rank);
  baseline_convergence.finish(c.rank, "local-only baseline");
  const json wire = wire_facts(c, cost.wire);
  const json memory = memory_facts(c);
  const json phases = phase_facts(c, cost.times);
  if (c.rank != 0) return;

  c.results->write("summary.json", hpo_summary(c, o).dump(2) + "\n");
  json timings = run_facts(c);
  timings.update(wire);
  timings.update(phases);
  timings.update(memory);
  timings["seconds_total"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (c.checkpoints.enabled()) timings["checkpoints"] = c.checkpoints.facts();
  c.results->write("timings.json", timings.dump(2) + "\n");
  print_account(c, o);
}

}  // namespace hyperpush::app
