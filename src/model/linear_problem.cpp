// A linear model as a local bilevel problem: the data term of sample_loss.hpp on the training part
// plus the regularizer of the hyperparameter kind (linear_problem.hpp), the same data term on the
// validation part (with λ as logit offsets for per-class, else without λ), accuracy on the test
// part.
#include "hyperpush/model/linear_problem.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <utility>

#include "hyperpush/error.hpp"
#include "sample_loss.hpp"

namespace hyperpush::model {
namespace {

using detail::SampleLoss;

class LinearProblem final : public LocalProblem {
 public:
  LinearProblem(const LinearSpec& spec, std::unique_ptr<SampleLoss> train,
                std::unique_ptr<SampleLoss> validation, std::unique_ptr<SampleLoss> test)
      : hyper_(spec.hyper),
        classes_(spec.classes),
        l2_(spec.l2),
        initial_log_decay_(spec.initial_log_decay),
        train_(std::move(train)),
        validation_(std::move(validation)),
        test_(std::move(test)) {
    const int m = train_->samples();
    train_uniform_ = Vector::Constant(m, 1.0 / m);
    validation_uniform_ =
        Vector::Constant(validation_->samples(), 1.0 / std::max(validation_->samples(), 1));
    sample_weight_.resize(m);
    decay_.resize(dim());
    decay_lambda_.resize(dim());
  }

  int dim() const override { return train_->dim(); }
  int hyper_dim() const override {
    switch (hyper_) {
      case HyperKind::l2:
        return 1;
      case HyperKind::per_feature:
        return dim();
      case HyperKind::per_sample:
        return train_->samples();
      case HyperKind::per_class:
        return classes_;
    }
    return 0;
  }

  double inner_loss(const VectorRef& x, const VectorRef& lambda) const override {
    const double data = train_->value(x, sample_weights(lambda));
    switch (hyper_) {
      case HyperKind::l2:  // ½ (e^λ + l2) ‖x‖²
        return data + 0.5 * (std::exp(lambda[0]) + l2_) * x.squaredNorm();
      case HyperKind::per_feature:  // ½ Σ_j (e^{λ_j} + l2) x_j²
        return data + 0.5 * feature_decay(lambda).dot(x.cwiseAbs2());
      case HyperKind::per_sample:  // ½ l2 ‖x‖²
      case HyperKind::per_class:
        return data + 0.5 * l2_ * x.squaredNorm();
    }
    return data;
  }

  void inner_gradient(const VectorRef& x, const VectorRef& lambda, VectorOut out) const override {
    train_->gradient(x, sample_weights(lambda), out);
    add_decay_times(lambda, x, out);
  }

  void hessian_vector(const VectorRef& x, const VectorRef& lambda, const VectorRef& w,
                      VectorOut out) const override {
    train_->hessian_vector(x, sample_weights(lambda), w, out);
    add_decay_times(lambda, w, out);
  }

  void cross_vector(const VectorRef& x, const VectorRef& lambda, const VectorRef& w,
                    VectorOut out) const override {
    switch (hyper_) {
      case HyperKind::l2:  // ∂/∂λ (e^λ + l2) xᵀw = e^λ xᵀw
        out[0] = std::exp(lambda[0]) * x.dot(w);
        return;
      case HyperKind::per_feature:  // e^λ ⊙ x ⊙ w
        out = (lambda.array().exp() * x.array() * w.array()).matrix();
        return;
      case HyperKind::per_sample:  // (1/m) [∇ℓ_k(x)ᵀ w]_k
        train_->sample_gradient_dots(x, w, out);
        out /= train_->samples();
        return;
      case HyperKind::per_class:  // (1/m) Σ_k R_k (sample_loss.hpp)
        train_->offset_cross_vector(x, sample_weights(lambda), w, out);
        return;
    }
  }

  double outer_loss(const VectorRef& x, const VectorRef& lambda) const override {
    return with_offsets(*validation_, lambda).value(x, validation_uniform_);
  }
  void outer_gradient_x(const VectorRef& x, const VectorRef& lambda, VectorOut out) const override {
    with_offsets(*validation_, lambda).gradient(x, validation_uniform_, out);
  }
  void outer_gradient_lambda(const VectorRef& x, const VectorRef& lambda,
                             VectorOut out) const override {
    if (hyper_ != HyperKind::per_class) {
      out.setZero();  // f does not depend on λ
      return;
    }
    // (1/m_val) Σ_k (P_k − Y_k); 0 without validation samples
    with_offsets(*validation_, lambda).offset_gradient(x, validation_uniform_, out);
  }

  Matrix hessian(const VectorRef& x, const VectorRef& lambda) const override {
    Matrix h = train_->hessian(x, sample_weights(lambda));
    switch (hyper_) {
      case HyperKind::l2:
        h.diagonal().array() += std::exp(lambda[0]) + l2_;
        break;
      case HyperKind::per_feature:
        h.diagonal() += feature_decay(lambda);
        break;
      case HyperKind::per_sample:
      case HyperKind::per_class:
        h.diagonal().array() += l2_;
        break;
    }
    return h;
  }

  Matrix cross_jacobian(const VectorRef& x, const VectorRef& lambda) const override {
    switch (hyper_) {
      case HyperKind::l2:  // e^λ xᵀ
        return std::exp(lambda[0]) * x.transpose();
      case HyperKind::per_feature: {  // diag(e^λ ⊙ x)
        const Vector diagonal = lambda.array().exp() * x.array();
        return diagonal.asDiagonal();
      }
      case HyperKind::per_sample:  // row k: ∇ℓ_k(x)ᵀ / m
        return train_->sample_gradients(x) / train_->samples();
      case HyperKind::per_class:  // d products J e_j (LocalProblem's default)
        return LocalProblem::cross_jacobian(x, lambda);
    }
    return {};
  }

  double test_metric(const VectorRef& x, const VectorRef& lambda) const override {
    return with_offsets(*test_, lambda).accuracy(x);
  }
  Eigen::VectorXi predict(const VectorRef& x, const VectorRef& lambda, Part part) const override {
    return with_offsets(part == Part::train ? *train_ : *test_, lambda).predictions(x);
  }

  Vector initial_lambda() const override {
    switch (hyper_) {
      case HyperKind::l2:
        return Vector::Constant(1, initial_log_decay_);
      case HyperKind::per_feature:
        return Vector::Constant(dim(), initial_log_decay_);
      case HyperKind::per_sample:
        return Vector::Ones(train_->samples());
      case HyperKind::per_class:
        return Vector::Zero(classes_);
    }
    return {};
  }

 private:
  // s: 1/m per sample, or λ_k/m for per-sample weights. For per-class, sets the training loss's
  // logit offsets to λ as well: every oracle on the training part goes through here.
  const Vector& sample_weights(const VectorRef& lambda) const {
    with_offsets(*train_, lambda);
    if (hyper_ != HyperKind::per_sample) return train_uniform_;
    sample_weight_ = lambda / train_->samples();
    return sample_weight_;
  }

  // A part's loss with λ as its logit offsets for per-class (the others have none).
  const SampleLoss& with_offsets(const SampleLoss& loss, const VectorRef& lambda) const {
    if (hyper_ == HyperKind::per_class) loss.set_logit_offset(lambda);
    return loss;
  }

  // e^λ + l2 for per-feature decay, kept with the λ it belongs to (HVPs repeat the same λ).
  const Vector& feature_decay(const VectorRef& lambda) const {
    if (!decay_cached_ || lambda != decay_lambda_) {
      decay_lambda_ = lambda;
      decay_ = lambda.array().exp() + l2_;
      decay_cached_ = true;
    }
    return decay_;
  }

  // out += D(λ) v, D(λ) the (diagonal) Hessian of the regularizer.
  void add_decay_times(const VectorRef& lambda, const VectorRef& v, VectorOut out) const {
    switch (hyper_) {
      case HyperKind::l2:
        out += (std::exp(lambda[0]) + l2_) * v;
        return;
      case HyperKind::per_feature:
        out += feature_decay(lambda).cwiseProduct(v);
        return;
      case HyperKind::per_sample:
      case HyperKind::per_class:
        out += l2_ * v;
        return;
    }
  }

  HyperKind hyper_;
  int classes_;
  double l2_;
  double initial_log_decay_;
  std::unique_ptr<SampleLoss> train_, validation_, test_;
  Vector train_uniform_;          // m: 1/m
  Vector validation_uniform_;     // m_val: 1/m_val
  mutable Vector sample_weight_;  // m scratch: λ/m
  mutable bool decay_cached_ = false;
  mutable Vector decay_lambda_;  // the λ decay_ belongs to (per-feature)
  mutable Vector decay_;         // e^λ + l2 (per-feature)
};

// "1 label", "3 labels".
std::string count(Eigen::Index n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string to_string(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

const char* kind_name(LinearKind kind) {
  switch (kind) {
    case LinearKind::logistic:
      return "logistic";
    case LinearKind::softmax:
      return "softmax";
    case LinearKind::ridge:
      return "ridge";
  }
  return "?";
}

void check_part(const LabelledData& part, const std::string& name, Eigen::Index columns,
                int classes) {
  check_labelled_part(part, "linear problem: " + name + " part", columns, classes);
}

// A = [features, 1] of a part check_linear_inputs accepted.
detail::DesignMatrix design_matrix(const LabelledData& part, Eigen::Index columns, bool bias) {
  const Eigen::Index m = part.features.rows();
  detail::DesignMatrix design(m, columns + (bias ? 1 : 0));
  if (m > 0) design.leftCols(columns) = part.features;
  if (bias) design.col(columns).setOnes();
  return design;
}

std::unique_ptr<SampleLoss> make_sample_loss(const LinearSpec& spec, detail::DesignMatrix design,
                                             Eigen::VectorXi labels) {
  switch (spec.kind) {
    case LinearKind::logistic:
      return detail::make_logistic_loss(std::move(design), std::move(labels));
    case LinearKind::softmax:
      return detail::make_softmax_loss(std::move(design), std::move(labels), spec.classes);
    case LinearKind::ridge:
      return detail::make_ridge_loss(std::move(design), std::move(labels));
  }
  return nullptr;
}

}  // namespace

void check_labelled_part(const LabelledData& part, const std::string& where, Eigen::Index columns,
                         int classes) {
  const Eigen::Index m = part.features.rows();
  if (m != part.labels.size())
    throw Error(where + " has " + count(m, "feature row") + " but " +
                count(part.labels.size(), "label"));
  if (m > 0 && part.features.cols() != columns)
    throw Error(where + " has " + count(part.features.cols(), "feature column") +
                ", the training part has " + std::to_string(columns));
  for (Eigen::Index k = 0; k < m; ++k) {
    if (part.labels[k] < 0 || part.labels[k] >= classes)
      throw Error(where + ": label " + std::to_string(part.labels[k]) + " of sample " +
                  std::to_string(k) + " is outside [0, " + std::to_string(classes) + ")");
  }
  for (Eigen::Index j = 0; j < columns && m > 0; ++j)
    for (Eigen::Index k = 0; k < m; ++k)
      if (!std::isfinite(part.features(k, j)))
        throw Error(where + ": feature " + std::to_string(j) + " of sample " + std::to_string(k) +
                    " is " + to_string(part.features(k, j)) + "; expected a finite number");
}

void check_linear_inputs(const LinearSpec& spec, const LabelledData& train,
                         const LabelledData& validation, const LabelledData& test) {
  if (!(spec.l2 >= 0 && std::isfinite(spec.l2)))
    throw Error("linear problem: l2 = " + to_string(spec.l2) + " is invalid; expected l2 >= 0");
  if (!std::isfinite(spec.initial_log_decay))
    throw Error("linear problem: initial_log_decay = " + to_string(spec.initial_log_decay) +
                " is invalid; expected a finite number");
  if (spec.kind == LinearKind::softmax && spec.classes < 2)
    throw Error("linear problem: softmax needs classes >= 2, got " + std::to_string(spec.classes));
  if (spec.kind != LinearKind::softmax && spec.classes != 2)
    throw Error(std::string("linear problem: ") + kind_name(spec.kind) +
                " needs classes = 2, got " + std::to_string(spec.classes) +
                "; use softmax for more classes");
  if (spec.hyper == HyperKind::per_sample && spec.l2 <= 0)
    throw Error("linear problem: per-sample weights need l2 > 0 (got " + to_string(spec.l2) +
                ") to keep the inner problem strongly convex");
  if (spec.hyper == HyperKind::per_class && spec.kind != LinearKind::softmax)
    throw Error(
        std::string("linear problem: per-class logit weights need softmax (C >= 2 logits); ") +
        kind_name(spec.kind) + " has one logit per sample");
  if (spec.hyper == HyperKind::per_class && spec.l2 <= 0)
    throw Error("linear problem: per-class logit weights need l2 > 0 (got " + to_string(spec.l2) +
                ") to keep the inner problem strongly convex");
  if (train.features.rows() == 0)
    throw Error("linear problem: the training part is empty; expected at least one sample");
  const Eigen::Index columns = train.features.cols();
  check_part(train, "training", columns, spec.classes);
  check_part(validation, "validation", columns, spec.classes);
  check_part(test, "test", columns, spec.classes);
  if (columns + (spec.bias ? 1 : 0) == 0)
    throw Error("linear problem: the model has no parameters (no features and no bias)");
}

std::unique_ptr<LocalProblem> make_linear_problem(const LinearSpec& spec, LabelledData train,
                                                  LabelledData validation, LabelledData test) {
  check_linear_inputs(spec, train, validation, test);
  const Eigen::Index columns = train.features.cols();
  return std::make_unique<LinearProblem>(
      spec,
      make_sample_loss(spec, design_matrix(train, columns, spec.bias), std::move(train.labels)),
      make_sample_loss(spec, design_matrix(validation, columns, spec.bias),
                       std::move(validation.labels)),
      make_sample_loss(spec, design_matrix(test, columns, spec.bias), std::move(test.labels)));
}

}  // namespace hyperpush::model
