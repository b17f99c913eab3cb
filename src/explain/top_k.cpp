#include "hyperpush/explain/top_k.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace hyperpush::explain {

bool ranks_before(const Candidate& a, const Candidate& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.agent != b.agent) return a.agent < b.agent;
  return a.index < b.index;
}

TopK top_k_of(const double* scores, std::size_t n, int k, std::int64_t agent) {
  const std::size_t keep = std::min(n, static_cast<std::size_t>(std::max(k, 0)));
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  const auto before = [&](std::size_t a, std::size_t b) {
    return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
  };
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(),
                    before);
  TopK out(keep);
  for (std::size_t i = 0; i < keep; ++i)
    out[i] = {agent, static_cast<std::int64_t>(order[i]), scores[order[i]]};
  return out;
}

TopK merge_top_k(const std::vector<const TopK*>& lists, int k) {
  TopK all;
  for (const TopK* list : lists) all.insert(all.end(), list->begin(), list->end());
  std::sort(all.begin(), all.end(), ranks_before);
  TopK out;
  for (const Candidate& c : all) {
    if (static_cast<int>(out.size()) == k) break;
    if (!out.empty() && out.back().agent == c.agent && out.back().index == c.index) continue;
    out.push_back(c);
  }
  return out;
}

void pack_top_k(const TopK& list, int k, double* out) {
  for (int i = 0; i < k; ++i) {
    const bool filled = i < static_cast<int>(list.size());
    out[kTripleWidth * i] = filled ? static_cast<double>(list[i].agent) : -1.0;
    out[kTripleWidth * i + 1] = filled ? static_cast<double>(list[i].index) : -1.0;
    out[kTripleWidth * i + 2] = filled ? list[i].score : -std::numeric_limits<double>::infinity();
  }
}

TopK unpack_top_k(const double* packed, int k) {
  TopK out;
  for (int i = 0; i < k; ++i) {
    if (packed[kTripleWidth * i] < 0) break;
    out.push_back({static_cast<std::int64_t>(packed[kTripleWidth * i]),
                   static_cast<std::int64_t>(packed[kTripleWidth * i + 1]),
                   packed[kTripleWidth * i + 2]});
  }
  return out;
}

}  // namespace hyperpush::explain
