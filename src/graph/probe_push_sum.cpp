#include "probe_push_sum.hpp"

#include <algorithm>
#include <cmath>

#include "hyperpush/random.hpp"

namespace hyperpush::graph::detail {

ProbePushSum::ProbePushSum(int agents, std::uint64_t seed)
    : w_(agents, kProbes),
      next_w_(agents, kProbes),
      omega_(Eigen::VectorXd::Ones(agents)),
      next_omega_(agents),
      share_(agents),
      mean_(Eigen::Matrix<double, 1, kProbes>::Zero()) {
  for (int i = 0; i < agents; ++i)
    for (int p = 0; p < kProbes; ++p)
      w_(i, p) = random_normal(seed, Purpose::contraction, static_cast<std::uint64_t>(i),
                               static_cast<std::uint64_t>(p), 0);
  for (int i = 0; i < agents; ++i) mean_ += w_.row(i);  // summed in agent order
  mean_ /= agents;
  scale_ = mean_.cwiseAbs().maxCoeff();
  if (!(scale_ > 0.0)) scale_ = 1.0;
}

void ProbePushSum::round(const Digraph& g) {
  const int n = static_cast<int>(w_.rows());
  for (int k = 0; k < n; ++k) share_[k] = 1.0 / g.out_degree(k);
  for (int j = 0; j < n; ++j) {  // w_j ← Σ_{k ∈ in(j)} w_k / |O_k(t)|,  ω_j likewise
    next_w_.row(j).setZero();
    next_omega_[j] = 0.0;
    for (const int* k = g.in_begin(j); k != g.in_end(j); ++k) {
      next_w_.row(j) += share_[*k] * w_.row(*k);
      next_omega_[j] += share_[*k] * omega_[*k];
    }
  }
  w_.swap(next_w_);
  omega_.swap(next_omega_);
}

double ProbePushSum::relative_error() const {
  double e = 0.0;
  for (Eigen::Index i = 0; i < w_.rows(); ++i)
    for (int p = 0; p < kProbes; ++p) e = std::max(e, std::abs(w_(i, p) / omega_[i] - mean_[p]));
  return e / scale_;
}

}  // namespace hyperpush::graph::detail
