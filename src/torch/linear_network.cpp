// The linear kinds as networks (θ = x, the Eigen reference's layout, linear_problem.hpp):
//   logistic, ridge  z = F w + b,        θ = (w, b) ∈ R^{q+1}
//   softmax          Z = F Wᵀ + 1 bᵀ,    θ = vec(X) column-major, X = [Wᵀ; bᵀ] ∈ R^{(q+1)×C}
// (b absent without bias). The bias is added to F W rather than carried as a column of ones in the
// data, so the problem keeps the raw features and a classifier takes raw inputs.
#include <torch/types.h>

#include "network.hpp"

namespace hyperpush::model::torch_backend {
namespace {

using at::Tensor;

class LinearNetwork final : public Network {
 public:
  LinearNetwork(std::int64_t features, int outputs, bool bias)
      : features_(features), outputs_(outputs), bias_(bias) {}

  std::int64_t dim() const override { return (features_ + (bias_ ? 1 : 0)) * outputs_; }

  Tensor logits(const Tensor& theta, const Tensor& features) const override {
    const std::int64_t rows = features_ + (bias_ ? 1 : 0);
    if (outputs_ == 1) {  // z = F w + b
      const Tensor w = theta.narrow(0, 0, features_);
      return bias_ ? torch::addmv(theta.narrow(0, features_, 1), features, w) : features.mv(w);
    }
    // X = reshape(θ, q + 1, C) column-major: row c of θ.view(C, q + 1) is class c's (w_c, b_c).
    const Tensor x = theta.view({outputs_, rows});
    const Tensor w = x.narrow(1, 0, features_);                    // C × q
    if (!bias_) return features.mm(w.t());                         // Z = F Wᵀ
    return torch::addmm(x.select(1, features_), features, w.t());  // Z = F Wᵀ + 1 bᵀ
  }

  Tensor initial_parameters(std::uint64_t) const override {
    return torch::zeros({dim()}, torch::TensorOptions().dtype(torch::kFloat64));
  }

 private:
  std::int64_t features_;
  int outputs_;  // 1 (logistic, ridge) or C (softmax)
  bool bias_;
};

}  // namespace

std::unique_ptr<Network> make_linear_network(TorchKind kind, std::int64_t features, int classes,
                                             bool bias) {
  return std::make_unique<LinearNetwork>(features, kind == TorchKind::softmax ? classes : 1, bias);
}

}  // namespace hyperpush::model::torch_backend
