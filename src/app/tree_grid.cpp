#include "hyperpush/app/tree_grid.hpp"

#include <cmath>
#include <cstdlib>

#include "hyperpush/error.hpp"

namespace hyperpush::app {
namespace {

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

// Splits at the commas outside parentheses.
std::vector<std::string> items(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  int depth = 0;
  for (const char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  out.push_back(trim(current));
  return out;
}

bool read_number(const std::string& s, double& value) {
  if (s.empty()) return false;
  char* end = nullptr;
  value = std::strtod(s.c_str(), &end);
  return *end == '\0' && std::isfinite(value);
}

}  // namespace

std::vector<double> parse_epsilons(const std::string& text, const std::string& key) {
  const std::string valid =
      "; valid: numbers > 0, `greedy` (or a negative number) and logspace(a, b, n), "
      "comma-separated, e.g. \"greedy, logspace(-5, 0, 21)\"";
  std::vector<double> out;
  for (const std::string& item : items(text)) {
    double value = 0;
    if (item == "greedy") {
      out.push_back(-1.0);
    } else if (item.rfind("logspace(", 0) == 0 && item.back() == ')') {
      const auto args = items(item.substr(9, item.size() - 10));
      double a = 0, b = 0, n = 0;
      if (args.size() != 3 || !read_number(args[0], a) || !read_number(args[1], b) ||
          !read_number(args[2], n) || n < 1 || n != std::floor(n) || n > 1e6)
        throw Error(key + ": '" + item +
                    "' is not logspace(a, b, n) with numbers a, b and a count n >= 1" + valid);
      for (int i = 0; i < static_cast<int>(n); ++i)
        out.push_back(std::pow(10.0, n == 1 ? a : a + i * (b - a) / (n - 1)));
    } else if (read_number(item, value)) {
      if (value == 0) throw Error(key + ": epsilon 0 is not valid" + valid);
      out.push_back(value);
    } else {
      throw Error(key + ": '" + item + "' is not an epsilon" + valid);
    }
  }
  return out;
}

std::vector<RemovalSize> parse_removal_sizes(const std::string& text, const std::string& key,
                                             std::size_t train_samples) {
  const std::string valid = "; valid: counts from 1 to " + std::to_string(train_samples - 1) +
                            " or percentages below 100% of the " + std::to_string(train_samples) +
                            " training samples, comma-separated, e.g. \"1, 10%\"";
  std::vector<RemovalSize> out;
  for (const std::string& item : items(text)) {
    double value = 0;
    double count = 0;
    if (!item.empty() && item.back() == '%' &&
        read_number(trim(item.substr(0, item.size() - 1)), value) && value > 0 && value < 100) {
      count = std::max(1.0, std::floor(value / 100 * static_cast<double>(train_samples)));
    } else if (read_number(item, value) && value == std::floor(value)) {
      count = value;
    } else {
      throw Error(key + ": '" + item + "' is not a removal size" + valid);
    }
    if (count < 1 || count > static_cast<double>(train_samples) - 1)
      throw Error(key + ": '" + item + "' removes " +
                  std::to_string(static_cast<long long>(count)) + " samples" + valid);
    out.push_back({item, static_cast<std::size_t>(count)});
  }
  return out;
}

}  // namespace hyperpush::app
