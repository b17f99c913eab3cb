// What SampleLoss provides for every loss: models with one logit per sample have no per-class
// offsets (check_linear_inputs refuses per-class for them before a loss is built).
#include "sample_loss.hpp"

#include "hyperpush/error.hpp"

namespace hyperpush::model::detail {
namespace {

[[noreturn]] void no_offsets() {
  throw Error(
      "linear problem: per-class logit weights need softmax (a model with one logit per sample "
      "has no per-class logits)");
}

}  // namespace

void SampleLoss::set_logit_offset(const VectorRef&) const { no_offsets(); }
void SampleLoss::offset_gradient(const VectorRef&, const VectorRef&, VectorOut) const {
  no_offsets();
}
void SampleLoss::offset_cross_vector(const VectorRef&, const VectorRef&, const VectorRef&,
                                     VectorOut) const {
  no_offsets();
}

}  // namespace hyperpush::model::detail
