#include "hyperpush/explain/identical_class_test.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "hyperpush/error.hpp"

namespace hyperpush::explain {

TestScore identical_class_test(const std::vector<std::vector<std::int64_t>>& top,
                               const Eigen::VectorXi& predicted,
                               const Eigen::VectorXi& train_labels, int k) {
  if (static_cast<Eigen::Index>(top.size()) != predicted.size())
    throw Error("identical class test: " + std::to_string(top.size()) + " retrievals for " +
                std::to_string(predicted.size()) + " queries");
  TestScore s;
  s.k = k;
  std::int64_t top1 = 0, topk = 0;
  for (std::size_t q = 0; q < top.size(); ++q) {
    if (top[q].empty()) throw Error("identical class test: query without retrieval");
    const int y = predicted(static_cast<Eigen::Index>(q));
    top1 += train_labels(top[q][0]) == y;
    const std::size_t n = std::min(top[q].size(), static_cast<std::size_t>(k));
    topk += std::all_of(top[q].begin(), top[q].begin() + static_cast<std::ptrdiff_t>(n),
                        [&](std::int64_t i) { return train_labels(i) == y; });
  }
  s.count = static_cast<std::int64_t>(top.size());
  s.success_rate = s.count ? static_cast<double>(top1) / s.count : std::nan("");
  s.top_k_success_rate = s.count ? static_cast<double>(topk) / s.count : std::nan("");
  return s;
}

}  // namespace hyperpush::explain
