// Task `tree`: one tree learner (`tree.learner`) on the run's data set, and optionally the grid of
// the average-sensitivity paper (Hara & Yoshida, ICLR 2023; specs/stable-tree.md): for every ε of
// `tree.epsilons`, data seed and tree seed, the tree on D, its accuracy at every depth, and its
// average sensitivity by coupled removal for every size in `tree.remove`.
//
// The grid's cells are dealt out to the ranks round-robin, computed with no communication, and
// gathered to rank 0 once at the end, which writes them in grid order: the result files are the
// same bytes whatever the rank count. Cost per cell: (1 + Σ trials) fits and 2 · trials distance
// walks per depth.
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>

#include "hyperpush/app/commands.hpp"
#include "hyperpush/app/dataset_config.hpp"
#include "hyperpush/app/task.hpp"
#include "hyperpush/app/tree_grid.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/explain/randomization_test.hpp"
#include "hyperpush/stopwatch.hpp"
#include "hyperpush/tree/learner.hpp"
#include "hyperpush/tree/sensitivity.hpp"
#include "hyperpush/tree/tree_dot.hpp"
#include "hyperpush/tree/tree_json.hpp"
#include "run_facts.hpp"
#include "surrogate_tree.hpp"

namespace hyperpush::app {

tree::LearnerOptions tree_learner_options(const TreeConfig& config) {
  const tree::LearnerOptions learner = config;
  if (learner.kind == tree::LearnerKind::stable && learner.epsilon == 0)
    throw Error("tree.epsilon = 0 is not valid; valid: > 0 for the stable tree, < 0 for greedy");
  return learner;
}
namespace {

using nlohmann::json;

// Every rank's strings, on rank 0 in rank order (two collectives; after the work, never inside it).
std::vector<std::string> gather_strings(MPI_Comm comm, int rank, int ranks,
                                        const std::vector<std::string>& local) {
  std::string packed;
  std::vector<long long> lengths;
  for (const auto& s : local) {
    packed += s;
    lengths.push_back(static_cast<long long>(s.size()));
  }
  int count = static_cast<int>(lengths.size()), bytes = static_cast<int>(packed.size());
  std::vector<int> counts(ranks), sizes(ranks);
  MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm);
  MPI_Gather(&bytes, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, comm);
  std::vector<int> count_at(ranks, 0), byte_at(ranks, 0);
  for (int r = 1; r < ranks; ++r) {
    count_at[r] = count_at[r - 1] + counts[r - 1];
    byte_at[r] = byte_at[r - 1] + sizes[r - 1];
  }
  const int total_count = rank == 0 ? count_at[ranks - 1] + counts[ranks - 1] : 0;
  const int total_bytes = rank == 0 ? byte_at[ranks - 1] + sizes[ranks - 1] : 0;
  std::vector<long long> all_lengths(total_count);
  std::string all(total_bytes, '\0');
  MPI_Gatherv(lengths.data(), count, MPI_LONG_LONG, all_lengths.data(), counts.data(),
              count_at.data(), MPI_LONG_LONG, 0, comm);
  MPI_Gatherv(packed.data(), bytes, MPI_CHAR, all.data(), sizes.data(), byte_at.data(), MPI_CHAR, 0,
              comm);
  std::vector<std::string> out;
  std::size_t offset = 0;
  for (const long long n : all_lengths) {
    out.push_back(all.substr(offset, static_cast<std::size_t>(n)));
    offset += static_cast<std::size_t>(n);
  }
  return out;
}

struct TreeSettings {
  tree::LearnerOptions learner;
  int eval_depth = 0;
  std::vector<double> epsilons;  // the grid; {tree.epsilon} without one (cart: {0}, unused)
  std::string remove_text;
  std::vector<RemovalSize> remove;
  int trials = 0, data_seeds = 1, tree_seeds = 1;
  bool grid = false;
};

TreeSettings read_settings(const TreeConfig& config, std::size_t train_samples) {
  TreeSettings s;
  const bool cart = config.kind == tree::LearnerKind::cart;
  s.learner = tree_learner_options(config);
  s.eval_depth = config.eval_depth;
  if (s.eval_depth == 0) s.eval_depth = s.learner.max_depth;
  if (s.eval_depth > s.learner.max_depth)
    throw Error("tree.eval_depth = " + std::to_string(s.eval_depth) +
                " is deeper than tree.max_depth = " + std::to_string(s.learner.max_depth) +
                "; valid: 0 (= max_depth) to " + std::to_string(s.learner.max_depth));
  const std::string& epsilons = config.epsilons;
  if (cart && !epsilons.empty())
    throw Error(
        "tree.epsilons: the cart learner has no epsilon; set tree.learner = \"stable\" or "
        "leave tree.epsilons empty");
  s.trials = config.trials;
  s.data_seeds = config.data_seeds;
  s.tree_seeds = config.tree_seeds;
  if (cart && s.tree_seeds > 1)
    throw Error("tree.tree_seeds = " + std::to_string(s.tree_seeds) +
                ": the cart learner draws nothing at random; valid with cart: 1");
  s.epsilons = epsilons.empty() ? std::vector<double>{cart ? 0.0 : s.learner.epsilon}
                                : parse_epsilons(epsilons, "tree.epsilons");
  s.remove_text = config.remove;
  if (!s.remove_text.empty())
    s.remove = parse_removal_sizes(s.remove_text, "tree.remove", train_samples);
  s.grid = !epsilons.empty() || !s.remove.empty() || s.data_seeds > 1 || s.tree_seeds > 1;
  return s;
}

// One grid cell: the tree on D for (ε, data seed, tree seed), its accuracies by depth and its
// sensitivities, as one JSON object (a line of trees.jsonl).
json run_cell(const TreeSettings& s, const data::TrainTest& data, double epsilon,
              std::uint64_t data_seed, std::uint64_t tree_seed, int& fits) {
  tree::LearnerOptions options = s.learner;
  options.epsilon = epsilon;
  const tree::TreeLearner learner(data.train, options);
  const tree::Tree full = learner.fit(tree_seed);
  ++fits;
  json sensitivity = json::array();
  for (const auto& size : s.remove) {
    const auto result =
        tree::average_sensitivity(learner, full, {size.count, s.trials, data_seed, tree_seed});
    fits += result.trials;
    sensitivity.push_back({{"remove", size.count},
                           {"remove_text", size.text},
                           {"trials", result.trials},
                           {"distance", result.distance},
                           {"distance_feature", result.distance_feature}});
  }
  json cell = {{"data_seed", data_seed},
               {"tree_seed", tree_seed},
               {"nodes", full.nodes.size()},
               {"leaves", full.leaf_count()},
               {"depth", full.depth()},
               {"train_accuracy", full.accuracy_by_depth(data.train)},
               {"test_accuracy", full.accuracy_by_depth(data.test)},
               {"sensitivity", sensitivity},
               {"tree", json::parse(tree::tree_to_json(full))}};
  if (s.learner.kind == tree::LearnerKind::stable) cell["epsilon"] = epsilon;
  cell["learner"] = s.learner.kind == tree::LearnerKind::stable ? "stable" : "cart";
  return cell;
}

std::string epsilon_text(double epsilon, bool cart) {
  if (cart) return "cart";
  if (epsilon < 0) return "greedy";
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", epsilon);
  return text;
}

}  // namespace

namespace {

// The headline tree: data seed `seed`, tree seed 0 (rank 0 alone); its summary.json figures,
// tree.json and tree.dot, and two lines on stdout.
json headline_tree(const RunContext& c, const data::TrainTest& data, const TreeSettings& s,
                   std::uint64_t seed, double& seconds) {
  const bool cart = s.learner.kind == tree::LearnerKind::cart;
  const auto fit_start = Clock::now();
  const tree::TreeLearner learner(data.train, s.learner);
  const tree::Tree t = learner.fit(0);
  seconds = seconds_since(fit_start);
  const auto train = t.accuracy_by_depth(data.train), test = t.accuracy_by_depth(data.test);
  json summary = {{"task", "tree"},
                  {"learner", cart ? "cart" : "stable"},
                  {"dataset", name_of(c.settings.data.dataset)},
                  {"seed", seed},
                  {"train_samples", data.train.rows},
                  {"test_samples", data.test.rows},
                  {"features", data.train.cols},
                  {"classes", data.train.classes},
                  {"max_depth", s.learner.max_depth},
                  {"eval_depth", s.eval_depth},
                  {"train_accuracy", train[s.eval_depth]},
                  {"test_accuracy", test[s.eval_depth]},
                  {"train_accuracy_by_depth", train},
                  {"test_accuracy_by_depth", test},
                  {"leaves", t.leaf_count()},
                  {"depth", t.depth()}};
  if (!cart) {
    summary["epsilon"] = s.learner.epsilon;
    summary["thresholds"] = s.learner.thresholds;
  }
  c.results->write("tree.json", tree::tree_to_json(t, 2) + "\n");
  c.results->write("tree.dot", tree::tree_to_dot(t, data.train.class_names));
  std::printf(
      "hyperpush tree: %s on %s, %zu training / %zu test samples, %zu features, seed %llu\n",
      tree::describe(s.learner).c_str(), name_of(c.settings.data.dataset), data.train.rows,
      data.test.rows, data.train.cols, static_cast<unsigned long long>(seed));
  std::printf("depth %d: train accuracy %.4f, test accuracy %.4f, %d leaves\n", s.eval_depth,
              train[s.eval_depth], test[s.eval_depth], t.leaf_count());
  return summary;
}

// The grid's cells (ε, data seed, tree seed) in this order, cell g computed by rank g mod P and
// gathered to rank 0 (empty elsewhere); `fits` counts the fits of all ranks (on rank 0).
std::vector<json> grid_cells(RunContext& c, const TreeSettings& s, std::uint64_t seed, int& fits) {
  const std::size_t per_epsilon = std::size_t(s.data_seeds) * s.tree_seeds;
  const std::size_t cells = s.epsilons.size() * per_epsilon;
  const std::size_t mine = cells / c.ranks + (std::size_t(c.rank) < cells % c.ranks);
  std::map<std::uint64_t, std::unique_ptr<data::TrainTest>> splits;  // by data seed
  std::vector<std::string> local;
  for (std::size_t g = c.rank; g < cells; g += c.ranks) {
    const double epsilon = s.epsilons[g / per_epsilon];
    const std::uint64_t data_seed = seed + (g % per_epsilon) / s.tree_seeds;
    const std::uint64_t tree_seed = g % s.tree_seeds;
    auto& split = splits[data_seed];
    if (!split)
      split = std::make_unique<data::TrainTest>(load_train_test(c.settings.data, data_seed));
    local.push_back(run_cell(s, *split, epsilon, data_seed, tree_seed, fits).dump());
    c.progress.update("tree grid", static_cast<std::int64_t>(local.size()),
                      static_cast<std::int64_t>(mine), "cells on rank 0");
  }
  int all_fits = 0;
  MPI_Reduce(&fits, &all_fits, 1, MPI_INT, MPI_SUM, 0, c.comm);
  fits = all_fits;
  const auto gathered = gather_strings(c.comm, c.rank, c.ranks, local);
  std::vector<json> cell;
  if (c.rank != 0) return cell;
  cell.resize(cells);
  std::size_t next = 0;  // rank r's k-th string is cell r + k P
  for (int r = 0; r < c.ranks; ++r)
    for (std::size_t g = r; g < cells; g += c.ranks) cell[g] = json::parse(gathered[next++]);
  return cell;
}

// One ε's means over its (data seed, tree seed) cells at the evaluation depth.
struct EpsilonMeans {
  double train = 0, test = 0;
  std::vector<double> sens, sens_feature;  // per removal size
};

EpsilonMeans epsilon_means(const TreeSettings& s, const std::vector<json>& cell, std::size_t e) {
  const std::size_t per_epsilon = std::size_t(s.data_seeds) * s.tree_seeds;
  const int d = s.eval_depth;
  EpsilonMeans m;
  m.sens.assign(s.remove.size(), 0.0);
  m.sens_feature.assign(s.remove.size(), 0.0);
  for (std::size_t k = 0; k < per_epsilon; ++k) {
    const json& x = cell[e * per_epsilon + k];
    m.train += x["train_accuracy"][d].get<double>() / per_epsilon;
    m.test += x["test_accuracy"][d].get<double>() / per_epsilon;
    for (std::size_t j = 0; j < s.remove.size(); ++j) {
      m.sens[j] += x["sensitivity"][j]["distance"][d].get<double>() / per_epsilon;
      m.sens_feature[j] += x["sensitivity"][j]["distance_feature"][d].get<double>() / per_epsilon;
    }
  }
  return m;
}

// The grid's table (stdout) and summary.json's "grid": a row of means per ε and, over the
// positive ε, Spearman(ε, sensitivity) per removal size (null when undefined).
json summarize_grid(const TreeSettings& s, const std::vector<json>& cell, bool cart) {
  const std::string removals =
      s.remove.empty() ? "no removals"
                       : "removals " + s.remove_text + " (" + std::to_string(s.trials) + " trials)";
  std::printf("grid: %zu epsilon%s x %d data seed%s x %d tree seed%s, %s, depth %d\n",
              s.epsilons.size(), s.epsilons.size() == 1 ? "" : "s", s.data_seeds,
              s.data_seeds == 1 ? "" : "s", s.tree_seeds, s.tree_seeds == 1 ? "" : "s",
              removals.c_str(), s.eval_depth);
  std::printf("  %8s  %8s  %8s", "epsilon", "train", "test");
  for (const auto& size : s.remove) std::printf("  %10s", ("sens " + size.text).c_str());
  std::printf("\n");
  json rows = json::array();
  std::vector<double> positive_eps;
  std::vector<std::vector<double>> positive_sens(s.remove.size()),
      positive_sens_feature(s.remove.size());
  for (std::size_t e = 0; e < s.epsilons.size(); ++e) {
    const EpsilonMeans m = epsilon_means(s, cell, e);
    json row = {{"train_accuracy", m.train},
                {"test_accuracy", m.test},
                {"sensitivity", m.sens},
                {"sensitivity_feature", m.sens_feature}};
    if (!cart) row["epsilon"] = s.epsilons[e];
    rows.push_back(row);
    if (!cart && s.epsilons[e] > 0) {
      positive_eps.push_back(s.epsilons[e]);
      for (std::size_t j = 0; j < s.remove.size(); ++j) {
        positive_sens[j].push_back(m.sens[j]);
        positive_sens_feature[j].push_back(m.sens_feature[j]);
      }
    }
    std::printf("  %8s  %8.4f  %8.4f", epsilon_text(s.epsilons[e], cart).c_str(), m.train, m.test);
    for (const double v : m.sens) std::printf("  %10.4f", v);
    std::printf("\n");
  }
  json remove = json::array();
  for (const auto& size : s.remove) remove.push_back(size.count);
  json grid = {{"data_seeds", s.data_seeds}, {"tree_seeds", s.tree_seeds}, {"trials", s.trials},
               {"remove", remove},           {"eval_depth", s.eval_depth}, {"rows", rows}};
  if (positive_eps.size() >= 3 && !s.remove.empty()) {
    json rho = json::array(), rho_feature = json::array();
    for (std::size_t j = 0; j < s.remove.size(); ++j) {
      const double r = explain::spearman(positive_eps, positive_sens[j]);
      const double rf = explain::spearman(positive_eps, positive_sens_feature[j]);
      rho.push_back(std::isnan(r) ? json(nullptr) : json(r));
      rho_feature.push_back(std::isnan(rf) ? json(nullptr) : json(rf));
      std::printf("Spearman(epsilon, sensitivity), remove %s: %.3f\n", s.remove[j].text.c_str(), r);
    }
    grid["spearman"] = rho;
    grid["spearman_feature"] = rho_feature;
  }
  return grid;
}

}  // namespace

void run_tree(RunContext& c) {
  const auto start = Clock::now();
  const auto seed = c.settings.seed;

  // Set-up on every rank (the same config and data give the same errors everywhere).
  data::TrainTest data;
  TreeSettings s;
  on_all_ranks(c.comm, [&] {
    data = load_train_test(c.settings.data, c.settings.seed);
    s = read_settings(c.settings.tree, data.train.rows);
    tree::TreeLearner check(data.train, s.learner);  // throws on empty data or bad options
  });
  json summary;
  double headline_seconds = 0, grid_seconds = 0;
  if (c.rank == 0) summary = headline_tree(c, data, s, seed, headline_seconds);
  int fits = 0;
  if (s.grid) {
    const auto grid_start = Clock::now();
    const std::vector<json> cells = grid_cells(c, s, seed, fits);
    grid_seconds = seconds_since(grid_start);
    if (c.rank == 0) {
      std::ofstream& lines = c.results->stream("trees.jsonl");
      for (const auto& line : cells) lines << line.dump() << '\n';
      summary["grid"] = summarize_grid(s, cells, s.learner.kind == tree::LearnerKind::cart);
    }
  }
  if (c.rank != 0) return;
  json timings = run_facts(c);
  timings.update({{"seconds_total", seconds_since(start)},
                  {"seconds_headline_fit", headline_seconds},
                  {"seconds_grid", grid_seconds},
                  {"grid_fits", fits}});
  c.results->write("summary.json", summary.dump(2) + "\n");
  c.results->write("timings.json", timings.dump(2) + "\n");
}

}  // namespace hyperpush::app
