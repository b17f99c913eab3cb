#include "hyperpush/explain/randomization_test.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "hyperpush/error.hpp"

namespace hyperpush::explain {
namespace {

std::vector<double> mean_ranks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    for (std::size_t k = i; k <= j; ++k) r[order[k]] = (i + j) / 2.0 + 1;
    i = j + 1;
  }
  return r;
}

}  // namespace

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size())
    throw Error("spearman: " + std::to_string(x.size()) + " vs " + std::to_string(y.size()) +
                " values");
  const auto rx = mean_ranks(x), ry = mean_ranks(y);
  const double n = static_cast<double>(x.size()), mean = (n + 1) / 2;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) * (rx[i] - mean);
    syy += (ry[i] - mean) * (ry[i] - mean);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : std::nan("");
}

double randomization_test(const Eigen::MatrixXd& trained, const Eigen::MatrixXd& randomized) {
  if (trained.rows() != randomized.rows() || trained.cols() != randomized.cols())
    throw Error("randomization test: score matrices differ in shape");
  double sum = 0;
  int defined = 0;
  for (Eigen::Index q = 0; q < trained.cols(); ++q) {
    const std::vector<double> a(trained.col(q).data(), trained.col(q).data() + trained.rows());
    const std::vector<double> b(randomized.col(q).data(),
                                randomized.col(q).data() + randomized.rows());
    const double r = spearman(a, b);
    if (std::isnan(r)) continue;
    sum += r;
    ++defined;
  }
  return defined ? sum / defined : std::nan("");
}

}  // namespace hyperpush::explain
