#pragma once
// The identical class test (specs/explain.md, "Tests"; Hanawa et al., ICLR 2021, §4): each query
// (a sampled test instance, misclassified ones included) carries the model's prediction ŷ as its
// label; it succeeds iff the top-1 training instance's label is ŷ. The top-k variant succeeds iff
// all of the (up to k) retrieved instances have label ŷ.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace hyperpush::explain {

struct TestScore {
  double success_rate = 0;        // top-1; NaN when count = 0
  double top_k_success_rate = 0;  // all k match; NaN when count = 0
  std::int64_t count = 0;         // queries evaluated
  int k = 0;
};

// top[q]: training indices retrieved for query q, best first (at least one each).
TestScore identical_class_test(const std::vector<std::vector<std::int64_t>>& top,
                               const Eigen::VectorXi& predicted,
                               const Eigen::VectorXi& train_labels, int k);

}  // namespace hyperpush::explain
