#include "hyperpush/explain/identical_subclass_test.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "hyperpush/data/split.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::explain {

std::vector<int> random_superclasses(int classes, std::uint64_t seed) {
  if (classes < 2)
    throw Error("identical subclass test: needs at least 2 classes, got " +
                std::to_string(classes));
  const auto order = data::shuffled_indices(static_cast<std::size_t>(classes), seed, 102);
  std::vector<int> superclass(classes);
  for (int i = 0; i < classes; ++i) superclass[order[i]] = i < classes / 2 ? 0 : 1;
  return superclass;
}

Eigen::VectorXi superclass_labels(const Eigen::VectorXi& labels,
                                  const std::vector<int>& superclass) {
  Eigen::VectorXi out(labels.size());
  for (Eigen::Index i = 0; i < labels.size(); ++i) out(i) = superclass.at(labels(i));
  return out;
}

TestScore identical_subclass_test(const std::vector<std::vector<std::int64_t>>& top,
                                  const Eigen::VectorXi& query_classes,
                                  const Eigen::VectorXi& predicted_super,
                                  const std::vector<int>& superclass,
                                  const Eigen::VectorXi& train_classes, int k) {
  if (static_cast<Eigen::Index>(top.size()) != query_classes.size() ||
      query_classes.size() != predicted_super.size())
    throw Error("identical subclass test: " + std::to_string(top.size()) + " retrievals, " +
                std::to_string(query_classes.size()) + " queries, " +
                std::to_string(predicted_super.size()) + " predictions");
  TestScore s;
  s.k = k;
  std::int64_t top1 = 0, topk = 0;
  for (std::size_t q = 0; q < top.size(); ++q) {
    const auto i = static_cast<Eigen::Index>(q);
    if (predicted_super(i) != superclass.at(query_classes(i))) continue;  // correct ones only
    if (top[q].empty()) throw Error("identical subclass test: query without retrieval");
    ++s.count;
    const int y = query_classes(i);
    top1 += train_classes(top[q][0]) == y;
    const std::size_t n = std::min(top[q].size(), static_cast<std::size_t>(k));
    topk += std::all_of(top[q].begin(), top[q].begin() + static_cast<std::ptrdiff_t>(n),
                        [&](std::int64_t t) { return train_classes(t) == y; });
  }
  s.success_rate = s.count ? static_cast<double>(top1) / s.count : std::nan("");
  s.top_k_success_rate = s.count ? static_cast<double>(topk) / s.count : std::nan("");
  return s;
}

}  // namespace hyperpush::explain
