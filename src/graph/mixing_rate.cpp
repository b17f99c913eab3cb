#include "hyperpush/graph/mixing_rate.hpp"

#include <cmath>
#include <vector>

#include "probe_push_sum.hpp"

namespace hyperpush::graph {
namespace {

constexpr double kExactError = 1e-13;  // as in the analysis: below it push-sum has averaged

// (e_k / e_{k/2})^{2/k}: the per-round factor over the second half of the first k rounds.
double tail_rate(const std::vector<double>& error, std::int64_t k) {
  if (k < 2 || !(error[k / 2] > 0)) return 0.0;
  return std::pow(error[k] / error[k / 2], 1.0 / static_cast<double>(k - k / 2));
}

}  // namespace

MixingRate estimate_mixing_rate(Schedule& s, std::int64_t max_rounds, double max_work) {
  MixingRate out;
  detail::ProbePushSum probes(s.agents(), s.seed());
  std::vector<double> error{probes.relative_error()};  // e_0, e_1, ...
  double work = 0;
  for (std::int64_t t = 0, checkpoint = 64;; ++t) {
    const Digraph& g = s.round(t);
    for (int u = 0; u < g.agents() && out.symmetric; ++u)
      for (const int* v = g.out_begin(u); v != g.out_end(u); ++v)
        if (!g.has_edge(*v, u)) {
          out.symmetric = false;
          break;
        }
    probes.round(g);
    error.push_back(probes.relative_error());
    for (int u = 0; u < g.agents(); ++u) work += g.out_degree(u);  // one multiply-add per edge
    const std::int64_t k = t + 1;
    if (error.back() <= kExactError) {  // read ρ before rounding takes over
      out.rate = tail_rate(error, k - 1);
      out.rounds = k;
      return out;
    }
    if (k < checkpoint) continue;
    out.rate = tail_rate(error, k);
    out.rounds = k;
    if (static_cast<double>(k) * (1 - out.rate) >= 4 || k >= max_rounds || work > max_work)
      return out;
    checkpoint *= 2;
  }
}

}  // namespace hyperpush::graph
