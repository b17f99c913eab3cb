#include "hyperpush/tree/split_candidates.hpp"

#include <algorithm>
#include <string>

#include "hyperpush/error.hpp"

namespace hyperpush::tree {

SplitCandidates split_candidates(const data::Dataset& train, int per_feature) {
  if (per_feature < 1 || per_feature > 65535)
    throw Error("tree.thresholds = " + std::to_string(per_feature) +
                " is out of range; valid: [1, 65535]");
  if (train.rows == 0) throw Error(train.source + ": no training samples to place thresholds on");
  SplitCandidates c;
  c.features = train.cols;
  c.per_feature = per_feature;
  c.thresholds.resize(train.cols * per_feature);
  for (std::size_t f = 0; f < train.cols; ++f) {
    double lo = train.row(0)[f], hi = lo;
    for (std::size_t r = 1; r < train.rows; ++r) {
      lo = std::min(lo, train.row(r)[f]);
      hi = std::max(hi, train.row(r)[f]);
    }
    const double step = (hi - lo) / per_feature;
    for (int k = 0; k < per_feature; ++k) c.thresholds[f * per_feature + k] = lo + k * step;
  }
  c.bins.resize(train.rows * train.cols);
  for (std::size_t r = 0; r < train.rows; ++r)
    for (std::size_t f = 0; f < train.cols; ++f) {
      const double* t = c.thresholds.data() + f * per_feature;
      c.bins[r * train.cols + f] =
          static_cast<std::uint16_t>(std::lower_bound(t, t + per_feature, train.row(r)[f]) - t);
    }
  return c;
}

}  // namespace hyperpush::tree
