#pragma once
// Push-sum on 4 seeded probe vectors per agent (specs/hgp.md, "Push-sum averaging"), run through a
// schedule's graphs to measure how fast it mixes: after each round
//   e = max_{i,p} |w_ip / ω_i − mean_p| / max_p |mean_p|,
// with x_ip(0) = random_normal(seed, contraction, i, p, 0). Shared by the schedule analysis and
// the mixing-rate estimate.
#include <Eigen/Core>
#include <cstdint>

#include "hyperpush/graph/digraph.hpp"

namespace hyperpush::graph::detail {

class ProbePushSum {
 public:
  static constexpr int kProbes = 4;
  ProbePushSum(int agents, std::uint64_t seed);
  // One round on G: agent k pushes w_k / |O_k| to each j in O_k; j sums in sender order.
  void round(const Digraph& g);
  double relative_error() const;

 private:
  using Probes = Eigen::Matrix<double, Eigen::Dynamic, kProbes, Eigen::RowMajor>;
  Probes w_, next_w_;
  Eigen::VectorXd omega_, next_omega_, share_;
  Eigen::Matrix<double, 1, kProbes> mean_;
  double scale_ = 1.0;
};

}  // namespace hyperpush::graph::detail
