// Logistic regression: ℓ(z, y) = log(1 + e^z) − y z, ℓ' = σ(z) − y, ℓ'' = σ(z) σ(−z).
#include <algorithm>
#include <cmath>

#include "binary_linear_loss.hpp"

namespace hyperpush::model::detail {
namespace {

class LogisticLoss final : public BinaryLinearLoss {
 public:
  using BinaryLinearLoss::BinaryLinearLoss;

 private:
  Pointwise pointwise(double z, int label) const override {
    // With e = e^{−|z|} ∈ (0, 1] nothing overflows for any finite z:
    //   log(1 + e^z) = max(z, 0) + log1p(e),  σ(z) = 1/(1 + e) (z ≥ 0) or e/(1 + e) (z < 0),
    //   σ(z) σ(−z) = e / (1 + e)².
    const double e = std::exp(-std::abs(z));
    const double softplus = std::max(z, 0.0) + std::log1p(e);
    const double sigma = z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    const double y = label;
    return {softplus - y * z, sigma - y, e / ((1.0 + e) * (1.0 + e))};
  }
};

}  // namespace

std::unique_ptr<SampleLoss> make_logistic_loss(DesignMatrix design, Eigen::VectorXi labels) {
  return std::make_unique<LogisticLoss>(std::move(design), std::move(labels));
}

}  // namespace hyperpush::model::detail
