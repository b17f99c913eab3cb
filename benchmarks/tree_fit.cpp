// Tree fit times on breast cancer (455 training samples, 30 features: the paper's 80% split, seed
// 0): hyperpush's CART against scikit-learn's DecisionTreeClassifier measured in the same run
// (benchmarks/tree_fit_sklearn.py through /usr/bin/python3 on the same training set), and the
// stable tree (500 thresholds per feature) against the same scikit-learn times. Medians of
// repeated fits; `ratio` is hyperpush / scikit-learn (target for CART: <= 1).
//
// Usage: bench_tree [repeats] [--quick] [--json FILE]   (default 200; --quick: 3, bench_args.hpp)
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bench_args.hpp"
#include "hyperpush/data/builtin.hpp"
#include "hyperpush/data/split.hpp"
#include "hyperpush/tree/cart.hpp"
#include "hyperpush/tree/learner.hpp"
#include "hyperpush/tree/split_candidates.hpp"
#include "hyperpush/tree/stable_tree.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace hyperpush;

double median_seconds(int repeats, const std::function<void()>& fit) {
  fit();  // warm-up
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    fit();
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

// {depth: seconds} from the one-line JSON object the Python script prints.
std::map<int, double> sklearn_times(const data::Dataset& train, int repeats,
                                    const std::vector<int>& depths) {
  const std::string csv = "/tmp/hyperpush_bench_tree_" + std::to_string(::getpid()) + ".csv";
  {
    std::ofstream out(csv);
    out.precision(17);
    for (std::size_t r = 0; r < train.rows; ++r) {
      for (std::size_t f = 0; f < train.cols; ++f) out << train.row(r)[f] << ',';
      out << train.labels[r] << '\n';
    }
  }
  std::string command = "/usr/bin/python3 " HYPERPUSH_SOURCE_DIR
                        "/benchmarks/tree_fit_sklearn.py " +
                        csv + " " + std::to_string(repeats);
  for (const int d : depths) command += " " + std::to_string(d);
  std::map<int, double> times;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096] = {};
    const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, pipe);
    pclose(pipe);
    std::string text(buffer, n);
    for (const int d : depths) {
      const auto at = text.find("\"" + std::to_string(d) + "\": ");
      if (at != std::string::npos) times[d] = std::atof(text.c_str() + text.find(':', at) + 1);
    }
  }
  std::remove(csv.c_str());
  return times;
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = bench::parse_args(argc, argv);
  const int repeats = static_cast<int>(bench::arg_or(args, 0, args.quick ? 3 : 200));
  nlohmann::json cart = nlohmann::json::array(), stable = nlohmann::json::array();
  const auto split = data::train_test_split(data::read_builtin("breast-cancer", "all"), 0.2, 0);
  const data::Dataset& train = split.train;
  const std::vector<int> depths = {1, 2, 3, 5, 7, 10};
  const auto sklearn = sklearn_times(train, repeats, depths);
  const auto sk = [&](int d) { return sklearn.count(d) ? sklearn.at(d) : 0.0; };

  std::printf("breast cancer, %zu training samples x %zu features; medians of %d fits\n\n",
              train.rows, train.cols, repeats);
  std::printf("CART (hyperpush) vs DecisionTreeClassifier (scikit-learn), same training set:\n");
  std::printf("  %5s  %14s  %14s  %7s\n", "depth", "hyperpush (ms)", "sklearn (ms)", "ratio");
  for (const int d : depths) {
    const double ours = median_seconds(repeats, [&] { tree::fit_cart(train, {d, 2}); });
    std::printf("  %5d  %14.4f  %14.4f  %7.3f\n", d, ours * 1e3, sk(d) * 1e3,
                sk(d) > 0 ? ours / sk(d) : 0.0);
    cart.push_back({{"depth", d},
                    {"hyperpush_ms", ours * 1e3},
                    {"sklearn_ms", sklearn.count(d) ? nlohmann::json(sk(d) * 1e3) : nullptr}});
  }

  std::printf(
      "\nstable tree (500 thresholds per feature, candidates included) vs the same "
      "scikit-learn fits:\n");
  std::printf("  %5s  %10s  %14s  %14s  %7s\n", "depth", "epsilon", "hyperpush (ms)",
              "sklearn (ms)", "ratio");
  for (const int d : {5, 10})
    for (const double epsilon : {-1.0, 0.1, 1.0}) {
      std::uint64_t seed = 0;
      const double ours = median_seconds(repeats, [&] {
        tree::TreeLearner(train, {tree::LearnerKind::stable, d, epsilon, 500, 2}).fit(seed++);
      });
      std::printf("  %5d  %10s  %14.4f  %14.4f  %7.3f\n", d,
                  epsilon < 0 ? "greedy" : std::to_string(epsilon).substr(0, 3).c_str(), ours * 1e3,
                  sk(d) * 1e3, sk(d) > 0 ? ours / sk(d) : 0.0);
      stable.push_back(
          {{"depth", d},
           {"epsilon", epsilon < 0 ? nlohmann::json("greedy") : nlohmann::json(epsilon)},
           {"hyperpush_ms", ours * 1e3}});
    }
  // A sensitivity trial refits on D \ S with the candidates already made.
  const auto candidates = tree::split_candidates(train, 500);
  std::vector<std::size_t> rows(train.rows);
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
  std::uint64_t seed = 0;
  const double refit = median_seconds(repeats, [&] {
    tree::fit_stable_tree(train, candidates, rows, {5, 1.0, 2, seed++});
  });
  std::printf(
      "\nstable tree refit (candidates reused, as in a sensitivity trial), depth 5, "
      "epsilon 1: %.4f ms\n",
      refit * 1e3);
  bench::write_json(
      args,
      {{"repeats", repeats}, {"cart", cart}, {"stable", stable}, {"stable_refit_ms", refit * 1e3}});
  return 0;
}
