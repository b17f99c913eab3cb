#pragma once
// The grid of the `tree` task, read from its config keys: ε values (`tree.epsilons`) and removal
// sizes (`tree.remove`), each a comma-separated list in one string.
#include <cstddef>
#include <string>
#include <vector>

namespace hyperpush::app {

// "greedy, 0.5, logspace(-5, 0, 21)": numbers, `greedy` (= −1) and logspace(a, b, n) (the n values
// 10^(a + i (b − a) / (n − 1)), i = 0..n−1, as numpy.logspace) in the order given. Throws
// hyperpush::Error naming `key` for anything else, for ε = 0 and for a non-finite value.
std::vector<double> parse_epsilons(const std::string& text, const std::string& key);

struct RemovalSize {
  std::string text;   // as written: "1", "10%"
  std::size_t count;  // samples removed per trial
};

// "1, 1%, 10%": counts, or percentages of `train_samples` (floor, at least 1). Throws
// hyperpush::Error naming `key` unless every count is in [1, train_samples − 1].
std::vector<RemovalSize> parse_removal_sizes(const std::string& text, const std::string& key,
                                             std::size_t train_samples);

}  // namespace hyperpush::app
