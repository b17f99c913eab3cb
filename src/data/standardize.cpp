#include "hyperpush/data/standardize.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "hyperpush/error.hpp"
#include "number_text.hpp"

namespace hyperpush::data {

FeatureMoments moments(const Dataset& train) {
  FeatureMoments m;
  m.sum.assign(train.cols, 0.0);
  m.sum_squares.assign(train.cols, 0.0);
  for (std::size_t r = 0; r < train.rows; ++r) {
    const double* x = train.row(r);
    for (std::size_t j = 0; j < train.cols; ++j) {
      m.sum[j] += x[j];
      m.sum_squares[j] += x[j] * x[j];
    }
  }
  m.count = static_cast<double>(train.rows);
  return m;
}

void add_moments(FeatureMoments& total, const FeatureMoments& more) {
  if (total.sum.size() != more.sum.size() || total.sum_squares.size() != more.sum_squares.size())
    throw Error("feature moments: cannot add moments of " + std::to_string(more.sum.size()) +
                " features to moments of " + std::to_string(total.sum.size()) +
                "; valid: the same number of features");
  for (std::size_t j = 0; j < total.sum.size(); ++j) {
    total.sum[j] += more.sum[j];
    total.sum_squares[j] += more.sum_squares[j];
  }
  total.count += more.count;
}

std::vector<double> moments_to_vector(const FeatureMoments& m) {
  std::vector<double> v(m.sum);
  v.insert(v.end(), m.sum_squares.begin(), m.sum_squares.end());
  v.push_back(m.count);
  return v;
}

FeatureMoments moments_from_vector(const std::vector<double>& v) {
  if (v.size() % 2 != 1)
    throw Error("feature moments: a vector of " + std::to_string(v.size()) +
                " numbers; valid: 2·features + 1 (sums, sums of squares, count)");
  const std::size_t d = v.size() / 2;
  FeatureMoments m;
  m.sum.assign(v.begin(), v.begin() + d);
  m.sum_squares.assign(v.begin() + d, v.begin() + 2 * d);
  m.count = v.back();
  return m;
}

Standardization standardization(const FeatureMoments& m) {
  if (m.sum.size() != m.sum_squares.size())
    throw Error("feature moments: " + std::to_string(m.sum.size()) + " sums but " +
                std::to_string(m.sum_squares.size()) +
                " sums of squares; valid: one of each per feature");
  if (!(m.count > 0))
    throw Error("feature moments: count = " + detail::number_text(m.count) +
                "; valid: > 0 (standardization needs training rows)");
  Standardization s;
  for (std::size_t j = 0; j < m.sum.size(); ++j) {
    // mean = Σx / N,  var = Σx² / N − mean²  (population variance, as sklearn's StandardScaler)
    const double mean = m.sum[j] / m.count;
    const double mean_square = m.sum_squares[j] / m.count;
    const double variance = std::max(0.0, mean_square - mean * mean);
    s.mean.push_back(mean);
    s.scale.push_back(variance <= 1e-10 * mean_square ? 1.0 : std::sqrt(variance));
  }
  return s;
}

void standardize(Dataset& data, const std::vector<double>& mean, const std::vector<double>& scale) {
  if (mean.size() != data.cols || scale.size() != data.cols)
    throw Error(data.source + ": standardization with " + std::to_string(mean.size()) +
                " means and " + std::to_string(scale.size()) + " scales for " +
                std::to_string(data.cols) + " features; valid: one of each per feature");
  for (std::size_t j = 0; j < data.cols; ++j) {
    if (!std::isfinite(mean[j]))
      throw Error(data.source + ": standardization mean of feature " + std::to_string(j) + " = " +
                  detail::number_text(mean[j]) + "; valid: a finite number");
    if (!(std::isfinite(scale[j]) && scale[j] > 0))
      throw Error(data.source + ": standardization scale of feature " + std::to_string(j) + " = " +
                  detail::number_text(scale[j]) + "; valid: a finite number > 0");
  }
  for (std::size_t r = 0; r < data.rows; ++r) {
    double* x = data.features.data() + r * data.cols;
    for (std::size_t j = 0; j < data.cols; ++j) x[j] = (x[j] - mean[j]) / scale[j];
  }
}

}  // namespace hyperpush::data
