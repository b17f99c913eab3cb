// The one table of configuration keys, each bound to its field of Settings (settings.hpp). Adding a
// key is one line here and its field; the README's reference (`hyperpush config-reference`), every
// validation message and read_settings follow from it.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "hyperpush/app/config.hpp"
#include "hyperpush/app/settings.hpp"
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

// The field a key fills: a path of member pointers from Settings.
template <class... Members>
auto field(Members... members) {
  return [=](Settings & s) -> auto& { return (s.*....*members); };
}

template <class Field>
using FieldType = std::remove_reference_t<std::invoke_result_t<Field, Settings&>>;

template <class Field>
KeyDecl integer(const char* key, Field field, std::int64_t value, double min, double max,
                const char* doc) {
  using T = FieldType<Field>;
  if (min < static_cast<double>(std::numeric_limits<T>::lowest()) ||
      max > static_cast<double>(std::numeric_limits<T>::max()))
    throw std::logic_error(std::string("config_keys: the range of ") + key +
                           " does not fit its field");
  KeyDecl decl{key, KeyType::integer, value, min, max, false, {}, doc, {}};
  decl.store = [=](const Config& c, Settings& s) { field(s) = static_cast<T>(c.integer(key)); };
  return decl;
}
template <class Field>
KeyDecl real(const char* key, Field field, double value, double min, double max, bool min_exclusive,
             const char* doc) {
  KeyDecl decl{key, KeyType::real, value, min, max, min_exclusive, {}, doc, {}};
  decl.store = [=](const Config& c, Settings& s) { field(s) = c.real(key); };
  return decl;
}
template <class Field>
KeyDecl flag(const char* key, Field field, bool value, const char* doc) {
  KeyDecl decl{key, KeyType::boolean, value, 0, 0, false, {}, doc, {}};
  decl.store = [=](const Config& c, Settings& s) { field(s) = c.boolean(key); };
  return decl;
}
template <class Field>
KeyDecl text(const char* key, Field field, const char* value, std::vector<std::string> choices,
             const char* doc) {
  KeyDecl decl{key, KeyType::string, std::string(value), 0, 0, false, std::move(choices), doc, {}};
  decl.store = [=](const Config& c, Settings& s) { field(s) = c.string(key); };
  return decl;
}
// A key naming a file (empty by default): a FileName, or the resolved path alone.
template <class Field>
KeyDecl file(const char* key, Field field, const char* doc) {
  KeyDecl decl{key, KeyType::string, std::string(), 0, 0, false, {}, doc, {}};
  decl.store = [=](const Config& c, Settings& s) {
    if constexpr (std::is_same_v<FieldType<Field>, FileName>)
      field(s) = FileName{c.string(key), c.path(key)};
    else
      field(s) = c.path(key);
  };
  return decl;
}
template <class Field>
KeyDecl widths(const char* key, Field field, const char* value, const char* doc) {
  KeyDecl decl{key, KeyType::string, std::string(value), 0, 0, false, {}, doc, {}};
  decl.store = [=](const Config& c, Settings& s) { field(s) = Widths{key, c.string(key)}; };
  return decl;
}
// A key whose values are the names of choices<E>() (of `only` when given).
template <class E, class Field>
KeyDecl choice(const char* key, Field field, E value, const char* doc, std::vector<E> only = {}) {
  std::vector<std::string> names;
  for (const Choice<E>& c : choices<E>())
    if (only.empty() || std::find(only.begin(), only.end(), c.value) != only.end())
      names.emplace_back(c.name);
  KeyDecl decl{key, KeyType::string, std::string(name_of(value)), 0, 0, false, names, doc, {}};
  decl.store = [=](const Config& c, Settings& s) {
    for (const Choice<E>& option : choices<E>())
      if (c.string(key) == option.name) field(s) = option.value;
  };
  return decl;
}

// consensus.compress: a compressor's name (comm/compression.hpp), its codec kept at its step.
KeyDecl compression(const char* key, const char* doc) {
  KeyDecl decl{key, KeyType::string, std::string("none"), 0, 0, false, {}, doc, {}};
  decl.store = [=](const Config& c, Settings& s) {
    const double step = s.exchange.compress.step;
    s.exchange.compress = comm::parse_compression(c.string(key));
    s.exchange.compress.step = step;
  };
  return decl;
}

}  // namespace

const std::vector<KeyDecl>& config_keys() {
  static const std::vector<KeyDecl> keys = {
      text(
          "task", field(&Settings::task), "average", task_names(),
          "What to run: `average` (push-sum averaging), `hypergradient` (one hyper-gradient vs the "
          "exact formula), `hpo` (decentralized hyperparameter optimization), `tree` (CART / "
          "stable decision trees), `explain` (similarity-based explanation), `influence` (each "
          "training sample's effect on the validation loss by HGP, checked by removal)."),
      integer("seed", field(&Settings::seed), 0, 0, kMaxInt,
              "Seed of every random draw (schedule, data split, initial values)."),
      integer("agents", field(&Settings::agents), 0, 0, 1e7,
              "Number of agents, spread over the MPI ranks in blocks; 0 = one agent per rank."),
      integer("threads", field(&Settings::threads), 1, 1, 1024,
              "Threads per MPI rank for BLAS, OpenMP and LibTorch, set by the program whatever "
              "the environment says. 1 keeps results byte-identical across rank counts; more "
              "makes the order of sums (and so the last bits) depend on the thread count."),

      text("topology.kind", field(&Settings::topology, &TopologyConfig::kind), "random-directed",
           topology_kind_names(),
           "Communication schedule G(t); see the topology table for each kind."),
      file("topology.file", field(&Settings::topology, &TopologyConfig::file),
           "Edge-list schedule for kind = \"file\", relative to the config file's folder."),
      real("topology.rate_min", field(&Settings::topology, &TopologyConfig::rate_min), 0.4, 0, 1,
           true, "random-directed / random-undirected: edge rates r_uv ~ U(rate_min, rate_max)."),
      real("topology.rate_max", field(&Settings::topology, &TopologyConfig::rate_max), 0.8, 0, 1,
           true, "Upper end of the edge-rate interval."),
      real("topology.probability", field(&Settings::topology, &TopologyConfig::probability), 0.5, 0,
           1, true, "erdos-renyi: edge probability."),
      integer("topology.check_rounds", field(&Settings::topology, &TopologyConfig::check_rounds),
              64, 1, 1e6,
              "Rounds [0, check_rounds) checked before a run: it is refused unless every window "
              "of B rounds in them has a strongly connected union."),

      choice("problem.kind", field(&Settings::problem, &ProblemConfig::kind), ProblemKind::model,
             "Bilevel problem: a model on data ([model], [data]) or quadratics from problem.file."),
      file("problem.file", field(&Settings::problem, &ProblemConfig::file),
           "quadratic: JSON file {\"gamma\", \"agents\": [{\"A\", \"B\", \"c\", \"lambda\"}]}, "
           "relative to the config file's folder."),

      choice("model.kind", field(&Settings::model, &ModelConfig::kind), ModelKind::logistic,
             "Model shared by all agents (x); logistic and ridge need 2 classes; the networks need "
             "backend = \"torch\": mlp (model.hidden layers), cnn (square one-channel images, "
             "model.channels, model.kernel), torchscript (a module of your own, model.file)."),
      choice(
          "model.hyper", field(&Settings::model, &ModelConfig::hyper), model::HyperKind::l2,
          "Private hyperparameters λ_i: L2 decay e^λ, per-feature decays, per-sample weights, or "
          "per-class logit weights (λ_c added to the logits of class c in g_i and f_i: "
          "personalization; softmax or a network with one logit per class)."),
      real("model.l2", field(&Settings::model, &ModelConfig::l2), 0.0, 0, 1e6, false,
           "Fixed ridge term ½·l2·‖x‖² added to every g_i (needed > 0 with per-sample and "
           "per-class)."),
      real("model.initial_decay", field(&Settings::model, &ModelConfig::initial_decay), 0.1, 0, 1e6,
           true, "Starting decay e^λ(0) for l2 / per-feature."),
      choice("model.backend", field(&Settings::model, &ModelConfig::backend), Backend::eigen,
             "Oracle backend (`eigen`: the analytic reference; `torch`: LibTorch autograd, CPU or "
             "CUDA, when built with LibTorch; `cuda`: logistic, softmax and ridge with every "
             "hyperparameter kind on the GPU (local rank mod device count), cuBLAS, when built "
             "with CUDA; no fallback)."),
      widths("model.hidden", field(&Settings::model, &ModelConfig::hidden), "32",
             "mlp: hidden layer widths, comma-separated (\"64,32\"); model.activation between "
             "layers."),
      widths("model.channels", field(&Settings::model, &ModelConfig::channels), "4,8",
             "cnn: output channels of each block conv k×k → activation → 2×2 average pool, "
             "comma-separated; a linear layer maps the last maps to the logits."),
      integer("model.kernel", field(&Settings::model, &ModelConfig::kernel), 5, 1, 99,
              "cnn: odd convolution size k ('same' padding)."),
      choice("model.activation", field(&Settings::model, &ModelConfig::activation),
             Activation::tanh, "mlp and cnn: activation between layers."),
      file("model.file", field(&Settings::model, &ModelConfig::file),
           "torchscript: a module saved by torch.jit.save (double precision, forward: m × q → "
           "m × C logits), relative to the config file's folder; its parameters are θ0."),
      choice("model.device", field(&Settings::model, &ModelConfig::device), Device::automatic,
             "torch: `auto` = GPU (local rank mod device count) when CUDA works, else CPU; `cpu` "
             "forces the CPU; `cuda` refuses to fall back."),

      choice("data.dataset", field(&Settings::data, &DataConfig::dataset), Dataset::breast_cancer,
             "Data set: a real one shipped by Debian (read offline), `libsvm` files, or the HGP "
             "paper's synthetic Gaussian mixture."),
      file("data.train", field(&Settings::data, &DataConfig::train),
           "libsvm: training file, relative to the config file's folder."),
      file("data.test", field(&Settings::data, &DataConfig::test),
           "libsvm: test file; empty = hold out data.test_fraction of data.train."),
      real("data.test_fraction", field(&Settings::data, &DataConfig::test_fraction), 0.2, 0, 0.99,
           false,
           "Fraction held out for testing (seeded shuffle) when the data set has no test part."),
      integer("data.max_train", field(&Settings::data, &DataConfig::max_train), 0, 0, 1e9,
              "Keep a seeded subsample of at most this many training samples; 0 = all."),
      choice("data.partition", field(&Settings::data, &DataConfig::partition), Partition::dirichlet,
             "Bilevel tasks: how samples are dealt to agents (dirichlet: label skew with "
             "data.alpha)."),
      real("data.alpha", field(&Settings::data, &DataConfig::alpha), 0.4, 0, 1e6, true,
           "Dirichlet concentration of the label partition and of synthetic-mixture weights: small "
           "= "
           "non-iid."),
      real("data.validation_fraction", field(&Settings::data, &DataConfig::validation_fraction),
           0.2, 0, 0.9, false,
           "Bilevel tasks: fraction of each agent's samples for its validation part (outer loss "
           "f_i)."),
      integer("data.samples_per_agent", field(&Settings::data, &DataConfig::samples_per_agent), 100,
              1, 1e9, "synthetic-mixture: samples per agent."),
      integer("data.mixture_dim", field(&Settings::data, &DataConfig::mixture_dim), 5, 1, 1e6,
              "synthetic-mixture: feature dimension."),
      integer("data.mixture_components", field(&Settings::data, &DataConfig::mixture_components), 3,
              1, 1e6, "synthetic-mixture: mixture components."),
      flag("data.standardize", field(&Settings::data, &DataConfig::standardize), true,
           "Standardize features with the global mean and std, averaged from per-agent moments by "
           "push-sum (only aggregate moments travel, no sample leaves its agent)."),
      integer("data.standardize_rounds", field(&Settings::data, &DataConfig::standardize_rounds),
              100, 1, 1e6, "Push-sum rounds used to average the feature moments."),

      choice("inner.solver", field(&Settings::inner, &InnerConfig::method),
             bilevel::InnerMethod::push_diging,
             "Inner solver for x*(λ) = argmin Σ g_i (exact = gathered Newton, small problems)."),
      integer("inner.rounds", field(&Settings::inner, &InnerConfig::rounds), 0, 0, 1e9,
              "At most this many rounds (Newton steps for exact) per inner solve, 0 = 20,000 "
              "gradient steps of inner.mixing_rounds rounds each; a solve stops at "
              "inner.tolerance, and one that does not is reported."),
      real("inner.step", field(&Settings::inner, &InnerConfig::step), 0.0, 0, 1e6, false,
           "Step size (push-diging α; sgp / gradient-push η_0 of η_t = η_0/√(1+t)); 0 = f(ρ^K) / "
           "max L_i at every solve, f = 0.5 on symmetric schedules, f(r) = min(0.5, 2(1 − r)²) on "
           "directed ones (ρ: the schedule's mixing rate, K: inner.mixing_rounds)."),
      integer(
          "inner.mixing_rounds", field(&Settings::inner, &InnerConfig::mixing_rounds), 0, 0, 1e6,
          "Push-sum rounds per gradient step (K); 0 = 1 on symmetric schedules, on directed ones "
          "the K that minimises K / f(ρ^K), the rounds per unit of progress (a directed ring: "
          "~(1 − ρ)⁻¹ rounds instead of ~(1 − ρ)⁻²)."),
      real("inner.tolerance", field(&Settings::inner, &InnerConfig::tolerance), 1e-10, 0, 1, false,
           "Stop once ‖Σ ∇g_i(z̄)‖ and max ‖z_i − z̄‖ are below it."),
      integer("inner.check_every", field(&Settings::inner, &InnerConfig::check_every), 50, 1, 1e9,
              "Rounds between stopping checks (each gathers z)."),
      flag("inner.require_convergence", field(&Settings::inner, &InnerConfig::require_convergence),
           false,
           "A solve that ends above inner.tolerance stops the run (exit code 5) instead of one "
           "warning line per run."),

      choice("hypergradient.method",
             field(&Settings::hypergradient, &bilevel::HypergradientOptions::method),
             bilevel::HypergradientMethod::hgp,
             "Hyper-gradient estimator (hgp = Hyper-Gradient Push; the others are oracles and "
             "baselines)."),
      choice("hypergradient.series",
             field(&Settings::hypergradient, &bilevel::HypergradientOptions::series),
             bilevel::Series::neumann,
             "hgp / server-neumann: how the M steps sum H̄⁻¹ ū: `neumann` (HGP's series, error ~ "
             "(1 − 1/κ)^M) or `chebyshev` (semi-iteration on [μ, L = 1/α], error ~ 2((√κ − 1)/(√κ "
             "+ 1))^M; the same communication per step)."),
      integer("hypergradient.depth",
              field(&Settings::hypergradient, &bilevel::HypergradientOptions::depth), 100, 1, 1e7,
              "Neumann depth M."),
      integer("hypergradient.push_rounds",
              field(&Settings::hypergradient, &bilevel::HypergradientOptions::push_rounds), 10, 1,
              1e6, "Push-sum rounds S per Neumann step."),
      real("hypergradient.alpha",
           field(&Settings::hypergradient, &bilevel::HypergradientOptions::alpha), 0.0, 0, 1e6,
           false,
           "Neumann step α (α·λ_max(H̄) < 2); 0 = 1 / (1.05 λ̂) from a push-sum power iteration."),
      integer(
          "hypergradient.batch",
          field(&Settings::hypergradient, &bilevel::HypergradientOptions::batch), 0, 0, 1e9,
          "hgp / server-neumann: training samples per agent in each Neumann step's HVP and JVP, "
          "drawn anew every step by the counter RNG (seed, step, agent): minibatch HGP; 0 = "
          "all (full batch). Not with model.hyper = per-sample."),
      integer("hypergradient.outer_batch",
              field(&Settings::hypergradient, &bilevel::HypergradientOptions::outer_batch), 0, 0,
              1e9,
              "hgp / server-neumann: validation samples per agent in the outer gradients ∇f_i; 0 "
              "= all."),
      real("hypergradient.mu", field(&Settings::hypergradient, &bilevel::HypergradientOptions::mu),
           0.0, 0, 1e6, false,
           "chebyshev: lower bound μ of the spectrum of H̄ (e.g. the L2 weight e^λ); 0 = L − "
           "λ̂_max(L·I − H̄) from a second push-sum power iteration."),
      integer("hypergradient.power_iterations",
              field(&Settings::hypergradient, &bilevel::HypergradientOptions::power_iterations), 30,
              1, 1e5,
              "Iterations of the decentralized power iteration that picks α (and chebyshev's μ)."),
      integer("hypergradient.power_push_rounds",
              field(&Settings::hypergradient, &bilevel::HypergradientOptions::power_push_rounds),
              20, 1, 1e6,
              "Push-sum rounds per power iteration (enough for all agents to agree on α)."),
      real("hypergradient.cg_tolerance",
           field(&Settings::hypergradient, &bilevel::HypergradientOptions::cg_tolerance), 1e-12, 0,
           1, true,
           "local: conjugate gradients on H_i q = ∇_x f_i stop at ‖r‖ ≤ cg_tolerance ‖∇_x f_i‖ "
           "(or at non-positive curvature)."),
      integer("hypergradient.cg_iterations",
              field(&Settings::hypergradient, &bilevel::HypergradientOptions::cg_iterations), 0, 0,
              1e9,
              "local: at most this many CG iterations (Hessian-vector products) per agent and "
              "step; 0 = 10·d."),

      integer("outer.steps", field(&Settings::outer, &OuterConfig::steps), 20, 1, 1e7,
              "hpo: outer steps K."),
      choice("outer.optimizer", field(&Settings::outer, &OuterConfig::optimizer), Optimizer::adam,
             "hpo: per-agent update of λ_i."),
      real("outer.lr", field(&Settings::outer, &OuterConfig::lr), 0.05, 0, 1e6, true,
           "hpo: learning rate of the λ update."),
      flag("outer.surrogate_tree", field(&Settings::outer, &OuterConfig::surrogate_tree), false,
           "hpo: after the loop each agent fits a [tree] learner to its model's predictions "
           "on its data and reports fidelity and sensitivity."),
      flag("outer.baseline_local", field(&Settings::outer, &OuterConfig::baseline_local), false,
           "hpo: also run the local-only baseline (hyper-gradients without communication)."),

      integer("average.dim", field(&Settings::average, &AverageConfig::dim), 16, 1, 1e8,
              "Dimension d of each agent's vector."),
      integer("average.rounds", field(&Settings::average, &AverageConfig::rounds), 100, 1, 1e9,
              "Push-sum rounds R."),
      integer("average.metrics_every", field(&Settings::average, &AverageConfig::metrics_every), 10,
              0, 1e9,
              "Per-agent metrics every this many rounds (and after the last); 0 = last only."),
      flag("average.estimates", field(&Settings::average, &AverageConfig::estimates), false,
           "Also write every agent's final estimate w_i/ω_i to estimates.json (n·d numbers)."),

      choice("tree.learner", field(&Settings::tree, &TreeConfig::kind), tree::LearnerKind::stable,
             "tree: `stable` = the average-sensitivity tree (exponential mechanism over a fixed "
             "threshold grid), `cart` = Gini CART with midpoint thresholds."),
      integer("tree.max_depth", field(&Settings::tree, &TreeConfig::max_depth), 5, 1, 30,
              "tree: depth trees are grown to; accuracies and sensitivities are reported at every "
              "shallower depth too (by truncation)."),
      integer("tree.eval_depth", field(&Settings::tree, &TreeConfig::eval_depth), 0, 0, 30,
              "tree: depth of the figures in summary.json and on stdout; 0 = tree.max_depth."),
      real("tree.epsilon", field(&Settings::tree, &TreeConfig::epsilon), 1.0, -1, 1e9, false,
           "tree: the stable tree's epsilon (small = close to greedy); negative = greedy, uniform "
           "over the best splits."),
      integer(
          "tree.thresholds", field(&Settings::tree, &TreeConfig::thresholds), 500, 1, 65535,
          "tree: stable tree's candidate thresholds per feature, evenly spaced in [min, max) of "
          "the training data."),
      integer("tree.min_samples", field(&Settings::tree, &TreeConfig::min_samples), 2, 2, 1e9,
              "tree: a node with fewer training samples is a leaf."),
      text("tree.epsilons", field(&Settings::tree, &TreeConfig::epsilons), "", {},
           "tree grid: epsilons, comma-separated numbers, `greedy` and logspace(a, b, n), e.g. "
           "\"greedy, logspace(-5, 0, 21)\"; empty = tree.epsilon only."),
      text("tree.remove", field(&Settings::tree, &TreeConfig::remove), "", {},
           "tree grid: sensitivity removal sizes, comma-separated counts or percentages of the "
           "training set, e.g. \"1, 10%\"; empty = no sensitivity."),
      integer("tree.trials", field(&Settings::tree, &TreeConfig::trials), 100, 1, 1e9,
              "tree grid: removals per cell and size (1-point removals take distinct points, at "
              "most all of them)."),
      integer(
          "tree.data_seeds", field(&Settings::tree, &TreeConfig::data_seeds), 1, 1, 1e6,
          "tree grid: train/test splits seeded seed, seed + 1, ... (each redraws the removals)."),
      integer("tree.tree_seeds", field(&Settings::tree, &TreeConfig::tree_seeds), 1, 1, 1e6,
              "tree grid: tree seeds 0, 1, ... per split (the stable tree's random draws)."),

      choice("explain.model", field(&Settings::explain, &ExplainConfig::model), ModelKind::softmax,
             "explain: the classifier trained and explained: `softmax` (softmax regression, closed "
             "form) or a torch backend network built from model.hidden, model.activation, "
             "model.device (mlp), model.channels, model.kernel (cnn), model.file (torchscript).",
             {ModelKind::softmax, ModelKind::mlp, ModelKind::cnn, ModelKind::torchscript}),
      text("explain.metrics", field(&Settings::explain, &ExplainConfig::metrics),
           "grad_cos, grad_dot, if, rif, fk, x_cos, x_dot, x_l2", {},
           "explain: relevance metrics, comma-separated, of x_l2, x_cos, x_dot, last_l2, "
           "last_cos, last_dot, all_l2, all_cos, all_dot, if, rif, fk, grad_dot, grad_cos "
           "(last_* / all_* need a model with hidden layers)."),
      integer("explain.test_instances", field(&Settings::explain, &ExplainConfig::test_instances),
              500, 1, 1e9, "explain: test instances sampled (seeded) for the three tests."),
      integer("explain.top_k", field(&Settings::explain, &ExplainConfig::top_k), 5, 1, 1000,
              "explain: k of the top-k variant of the identical class / subclass tests."),
      integer("explain.projection_dim",
              field(&Settings::explain, &ExplainConfig::relevance,
                    &explain::RelevanceOptions::projection_dim),
              0, 0, 1e6,
              "explain: project loss gradients to this many dimensions (seeded Gaussian); 0 = "
              "full gradients."),
      real(
          "explain.damping",
          field(&Settings::explain, &ExplainConfig::relevance, &explain::RelevanceOptions::damping),
          0.01, 0, 1e6, true,
          "explain: damping δ of the Hessian (if, rif) and the empirical Fisher (fk)."),
      integer("explain.dense_max_params",
              field(&Settings::explain, &ExplainConfig::relevance,
                    &explain::RelevanceOptions::dense_max_params),
              4096, 1, 1e5,
              "explain: largest gradient dimension whose damped matrix if / rif / fk factor "
              "densely; above it if solves by conjugate gradient and rif / fk need "
              "explain.projection_dim."),
      integer("explain.hessian_samples",
              field(&Settings::explain, &ExplainConfig::relevance,
                    &explain::RelevanceOptions::hessian_samples),
              0, 0, 1e9,
              "explain: training samples the Hessian of if / rif averages over (the first of a "
              "seeded shuffle); 0 = all. Caps the cost of each CG iteration."),
      real("explain.cg_tolerance",
           field(&Settings::explain, &ExplainConfig::relevance,
                 &explain::RelevanceOptions::cg_tolerance),
           1e-6, 0, 1, true,
           "explain: CG of if above dense_max_params stops at ‖r‖ ≤ tolerance·‖g(z)‖."),
      integer("explain.cg_iterations",
              field(&Settings::explain, &ExplainConfig::relevance,
                    &explain::RelevanceOptions::cg_iterations),
              200, 1, 1e6, "explain: CG of if: Hessian-vector products per query at most."),
      real("explain.l2",
           field(&Settings::explain, &ExplainConfig::training, &explain::SoftmaxTraining::l2), 1e-3,
           0, 1e6, false,
           "explain: ridge term ½·l2·‖θ − θ0‖² of the model being explained (θ0 = 0 for "
           "softmax, a network's initial draw)."),
      integer("explain.train_iterations",
              field(&Settings::explain, &ExplainConfig::training,
                    &explain::SoftmaxTraining::max_iterations),
              500, 1, 1e7, "explain: L-BFGS iterations at most when training the model."),
      integer("explain.examples", field(&Settings::explain, &ExplainConfig::examples), 8, 0, 1e6,
              "explain: explain.json lists, per metric, the top-k training indices of this many "
              "queries (with their test indices)."),

      integer("influence.top", field(&Settings::influence, &InfluenceConfig::top), 50, 0, 1e6,
              "influence: training samples of largest |∂F/∂λ_k| (by the hyper-gradient method) "
              "removed, each alone, and the model retrained, to compare predicted and actual "
              "changes of F."),
      integer("influence.random", field(&Settings::influence, &InfluenceConfig::random), 50, 0, 1e6,
              "influence: random training samples removed the same way (a second set)."),

      real("comm.timeout", field(&Settings::exchange, &comm::ExchangeOptions::timeout), 120, 0, 1e9,
           true,
           "Seconds a rank waits for a peer's push-sum message before it ends the job (exit 4) "
           "with one line naming itself, the silent rank(s), the round and the phase. Covers the "
           "point-to-point waits of every round; not the collectives (gathers, checks)."),
      choice("comm.transport", field(&Settings::exchange, &comm::ExchangeOptions::transport),
             comm::Transport::messages,
             "How a round's rows reach other ranks: `messages` (one nonblocking message per pair "
             "of ranks), `shared` (an MPI shared-memory window, receivers mix their peers' rows "
             "in place; the ranks must share one node), `auto` (shared when they do). The same "
             "bits whichever; robust rounds always send messages."),
      flag("consensus.robust", field(&Settings::exchange, &comm::ExchangeOptions::robust), false,
           "Push-sum by running sums (robust push-sum): exact under message loss (faults.drop), "
           "for every user of the exchange (average, HGP, inner solvers, standardization)."),
      compression("consensus.compress",
                  "Compressed push-sum: `none`, `q8` / `q4` (8- / 4-bit codes, a scale per 256 "
                  "numbers), `topk:K` (the K largest numbers), `randk:K` (K numbers at shared "
                  "random places). Each edge sends the push-sum weight and a compressed correction "
                  "of a reference both its ends keep (error feedback), so the average stays exact "
                  "and the corrections vanish as the agents agree; same bits on any rank count. "
                  "With consensus.robust the sender keeps a lost message's share (exact under "
                  "faults.drop). Not with async."),
      real("consensus.compress_step",
           field(&Settings::exchange, &comm::ExchangeOptions::compress, &comm::Compression::step),
           1.0, 0, 1, true,
           "γ of compressed push-sum: each round moves γ times push-sum's share along an edge "
           "(lazy mixing). 1 suits q8 / q4; topk / randk need about K/d or they diverge."),
      choice("consensus.mode", field(&Settings::exchange, &comm::ExchangeOptions::mode),
             comm::ConsensusMode::sync,
             "`sync`: every push-sum round waits for its in-neighbours' rows (results are the "
             "same bits on any rank count). `async` (task average): no rank ever waits; each "
             "mixes whatever has reached its one-sided inboxes, so a straggler slows only the "
             "agents it feeds; mass is conserved (the average stays exact) but the bits depend "
             "on timing. No checkpoints, consensus.robust or faults.drop with async."),
      real("faults.drop", field(&Settings::exchange, &comm::ExchangeOptions::drop), 0.0, 0, 0.999,
           false,
           "Test fault: each cross-agent message of every push-sum round is lost with this "
           "probability (below 1), drawn from (seed, sender, receiver, round): same bits on any "
           "rank count. Plain push-sum becomes biased; consensus.robust = true stays exact."),
      integer("faults.stall_rank", field(&Settings::exchange, &comm::ExchangeOptions::stall_rank),
              -1, -1, 1e7,
              "Test fault: this rank sleeps forever when the exchange reaches faults.stall_round "
              "(a hung node, for testing comm.timeout); -1 = none."),
      integer("faults.stall_round", field(&Settings::exchange, &comm::ExchangeOptions::stall_round),
              0, 0, kMaxInt, "Test fault: the round at which faults.stall_rank stalls."),
      integer("faults.slow_rank", field(&Settings::exchange, &comm::ExchangeOptions::slow_rank), -1,
              -1, 1e7,
              "Test fault: this rank is a straggler: after each of its push-sum rounds it sleeps "
              "(faults.slow_factor - 1) times the round's time; -1 = none."),
      real("faults.slow_factor", field(&Settings::exchange, &comm::ExchangeOptions::slow_factor),
           1.0, 1, 1e3, false,
           "Test fault: how many times as long faults.slow_rank takes for each round."),

      text("output.dir", field(&Settings::output, &OutputConfig::dir), "results", {},
           "Folder for the results (`--out` overrides); relative to the working directory."),
      flag("output.progress", field(&Settings::output, &OutputConfig::progress), true,
           "Rank 0 prints progress on stderr, at most once a second."),

      integer("checkpoint.every", field(&Settings::checkpoint, &CheckpointConfig::every), 0, 0, 1e9,
              "Write a checkpoint every this many outer steps (hpo), rounds (average) or "
              "Neumann steps (hypergradient, methods hgp and server-neumann); 0 = off. With "
              "checkpoints on, SIGTERM or SIGUSR1 checkpoints at the next step and exits with "
              "code 3; "
              "`hyperpush run CONFIG --resume` continues from the newest checkpoint."),
      text("checkpoint.dir", field(&Settings::checkpoint, &CheckpointConfig::dir), "", {},
           "Checkpoint folder; \"\" = the results folder's name with .checkpoint appended "
           "(removed once the results are committed)."),
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
