#pragma once
// The stable tree's candidate splits, fixed once from the full training set (specs/stable-tree.md,
// as in the authors' code): for each feature f, T evenly spaced thresholds between its minimum and
// maximum, the maximum excluded,
//
//   t_fk = min_f + k (max_f − min_f) / T,   k = 0 .. T − 1,
//
// so the fits on D and on D \ S choose among the same (feature, threshold) pairs. Each training
// sample is binned once per feature: bin = the first k with x <= t_fk (T when there is none), so a
// sample goes left at candidate (f, k) exactly when bin_f <= k, and a node's split scores follow
// from per-bin class histograms — no sorting at any node.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hyperpush/data/dataset.hpp"

namespace hyperpush::tree {

struct SplitCandidates {
  std::size_t features = 0;
  int per_feature = 0;              // T
  std::vector<double> thresholds;   // features × T: t_fk at f·T + k
  std::vector<std::uint16_t> bins;  // rows × features: bin of sample r in feature f at r·F + f

  double threshold(std::size_t feature, int k) const {
    return thresholds[feature * per_feature + k];
  }
  const std::uint16_t* sample_bins(std::size_t row) const { return bins.data() + row * features; }
};

// Candidates from every sample of `train`; throws hyperpush::Error unless 1 <= per_feature <=
// 65535 and the data set has at least one sample.
SplitCandidates split_candidates(const data::Dataset& train, int per_feature);

}  // namespace hyperpush::tree
