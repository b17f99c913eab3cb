// What SampleLoss provides for every backend's loss: models with one logit per sample have no
// per-class offsets (check_linear_inputs refuses per-class for them before a loss is built), and
// dense matrices are optional kernels. Also the Eigen reference's common part
// (eigen_sample_loss.hpp).
#include "hyperpush/model/sample_loss.hpp"

#include <algorithm>
#include <limits>

#include "eigen_sample_loss.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::model {
namespace {

[[noreturn]] void no_offsets() {
  throw Error(
      "linear problem: per-class logit weights need softmax (a model with one logit per sample "
      "has no per-class logits)");
}

}  // namespace

void SampleLoss::set_logit_offset(const VectorRef&) const { no_offsets(); }
void SampleLoss::offset_gradient(const VectorRef&, VectorOut) const { no_offsets(); }
void SampleLoss::offset_cross_vector(const VectorRef&, const VectorRef&, VectorOut) const {
  no_offsets();
}
std::optional<Matrix> SampleLoss::hessian(const VectorRef&) const { return std::nullopt; }
std::unique_ptr<SampleLoss> SampleLoss::subset(const std::vector<int>&) const { return nullptr; }
std::optional<Matrix> SampleLoss::sample_gradients(const VectorRef&) const { return std::nullopt; }

namespace detail {

EigenSampleLoss::EigenSampleLoss(DesignMatrix design, Eigen::VectorXi labels)
    : design_(std::move(design)), labels_(std::move(labels)) {
  weights_ = Vector::Constant(design_.rows(), 1.0 / std::max<Eigen::Index>(design_.rows(), 1));
}

double EigenSampleLoss::accuracy(const VectorRef& x) const {
  if (labels_.size() == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>((predictions(x).array() == labels_.array()).count()) /
         static_cast<double>(labels_.size());
}

}  // namespace detail
}  // namespace hyperpush::model
