// Least-squares classifier ("ridge" with the decay of the hyperparameter kind): targets t = ±1,
// ℓ(z, y) = ½ (z − t)², ℓ' = z − t, ℓ'' = 1, t = 2y − 1.
#include "binary_linear_loss.hpp"

namespace hyperpush::model::detail {
namespace {

class RidgeLoss final : public BinaryLinearLoss {
 public:
  using BinaryLinearLoss::BinaryLinearLoss;

 private:
  Pointwise pointwise(double z, int label) const override {
    const double residual = z - (2.0 * label - 1.0);
    return {0.5 * residual * residual, residual, 1.0};
  }
};

}  // namespace

std::unique_ptr<SampleLoss> make_ridge_loss(DesignMatrix design, Eigen::VectorXi labels) {
  return std::make_unique<RidgeLoss>(std::move(design), std::move(labels));
}

}  // namespace hyperpush::model::detail
