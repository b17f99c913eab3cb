// A linear model as a local bilevel problem, written once over any backend's data terms
// (sample_loss.hpp) and the hyperparameter kind's algebra (hyperparameter_kind.hpp):
//   g = L_train + R(λ),  ∇g = ∇L_train + D(λ) x,  H w = ∇²L_train w + D(λ) w,  f = L_val,
// with λ put into each part's data term (weights, offsets) before it is asked. Also here: the
// Eigen reference's parts (make_linear_problem on data) and the input checks every backend makes.
#include "hyperpush/model/linear_problem.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <utility>

#include "eigen_sample_loss.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::model {
namespace {

class LinearProblem final : public LocalProblem {
 public:
  LinearProblem(std::unique_ptr<HyperparameterKind> kind, std::unique_ptr<SampleLoss> train,
                std::unique_ptr<SampleLoss> validation, std::unique_ptr<SampleLoss> test)
      : kind_(std::move(kind)),
        train_(std::move(train)),
        validation_(std::move(validation)),
        test_(std::move(test)) {}

  int dim() const override { return train_->dim(); }
  int hyper_dim() const override { return kind_->dim(); }
  Vector initial_lambda() const override { return kind_->initial(); }

  double inner_loss(const VectorRef& x, const VectorRef& lambda) const override {
    return at(*train_, lambda).value(x) + kind_->regularizer(x, lambda);
  }
  void inner_gradient(const VectorRef& x, const VectorRef& lambda, VectorOut out) const override {
    at(*train_, lambda).gradient(x, out);
    kind_->add_hessian_times(lambda, x, out);  // + D(λ) x
  }
  void hessian_vector(const VectorRef& x, const VectorRef& lambda, const VectorRef& w,
                      VectorOut out) const override {
    at(training(), lambda).hessian_vector(x, w, out);
    kind_->add_hessian_times(lambda, w, out);  // + D(λ) w
  }
  void cross_vector(const VectorRef& x, const VectorRef& lambda, const VectorRef& w,
                    VectorOut out) const override {
    kind_->cross_vector(at(training(), lambda), x, lambda, w, out);
  }

  double outer_loss(const VectorRef& x, const VectorRef& lambda) const override {
    return at(validation(), lambda).value(x);
  }
  void outer_gradient_x(const VectorRef& x, const VectorRef& lambda, VectorOut out) const override {
    at(validation(), lambda).gradient(x, out);
  }
  void outer_gradient_lambda(const VectorRef& x, const VectorRef& lambda,
                             VectorOut out) const override {
    kind_->outer_gradient(at(validation(), lambda), x, lambda, out);
  }

  int train_samples() const override { return train_->samples(); }
  int validation_samples() const override { return validation_->samples(); }
  void use_minibatch(const Minibatch& batch) const override {
    check_minibatch(*kind_, batch);
    train_batch_ = minibatch_of(*train_, batch.train);
    validation_batch_ = minibatch_of(*validation_, batch.validation);
  }

  Matrix hessian(const VectorRef& x, const VectorRef& lambda) const override {
    std::optional<Matrix> h = at(*train_, lambda).hessian(x);
    if (!h) return LocalProblem::hessian(x, lambda);  // d products H e_j
    kind_->add_hessian(lambda, *h);
    return std::move(*h);
  }
  Matrix cross_jacobian(const VectorRef& x, const VectorRef& lambda) const override {
    std::optional<Matrix> j = kind_->cross_jacobian(at(*train_, lambda), x, lambda);
    if (!j) return LocalProblem::cross_jacobian(x, lambda);  // d products J e_j
    return std::move(*j);
  }

  double test_metric(const VectorRef& x, const VectorRef& lambda) const override {
    return at(*test_, lambda).accuracy(x);
  }
  Eigen::VectorXi predict(const VectorRef& x, const VectorRef& lambda, Part part) const override {
    return at(part == Part::train ? *train_ : *test_, lambda).predictions(x);
  }

 private:
  // The parts the products and the outer oracles use: a minibatch when one is set.
  const SampleLoss& training() const { return train_batch_ ? *train_batch_ : *train_; }
  const SampleLoss& validation() const {
    return validation_batch_ ? *validation_batch_ : *validation_;
  }
  static std::unique_ptr<SampleLoss> minibatch_of(const SampleLoss& part,
                                                  const std::vector<int>& rows) {
    if (rows.empty()) return nullptr;
    auto batch = part.subset(rows);
    if (!batch) throw Error("minibatches: this backend has none; valid: hypergradient.batch = 0");
    return batch;
  }

  // The part with λ in its data term where the kind puts it there.
  const SampleLoss& at(const SampleLoss& part, const VectorRef& lambda) const {
    kind_->apply(lambda, part, &part == train_.get() || &part == train_batch_.get());
    return part;
  }

  std::unique_ptr<HyperparameterKind> kind_;
  std::unique_ptr<SampleLoss> train_, validation_, test_;
  mutable std::unique_ptr<SampleLoss> train_batch_, validation_batch_;  // use_minibatch
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
  const std::string where = "linear problem";
  check_decay(spec.l2, spec.initial_log_decay, where);
  if (spec.kind == LinearKind::softmax && spec.classes < 2)
    throw Error("linear problem: softmax needs classes >= 2, got " + std::to_string(spec.classes));
  if (spec.kind != LinearKind::softmax && spec.classes != 2)
    throw Error(std::string("linear problem: ") + kind_name(spec.kind) +
                " needs classes = 2, got " + std::to_string(spec.classes) +
                "; use softmax for more classes");
  if (spec.hyper == HyperKind::per_class && spec.kind != LinearKind::softmax)
    throw Error(
        std::string("linear problem: per-class logit weights need softmax (C >= 2 logits); ") +
        kind_name(spec.kind) + " has one logit per sample");
  check_strong_convexity(spec.hyper, spec.l2, where);
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
  return make_linear_problem(
      spec,
      make_sample_loss(spec, design_matrix(train, columns, spec.bias), std::move(train.labels)),
      make_sample_loss(spec, design_matrix(validation, columns, spec.bias),
                       std::move(validation.labels)),
      make_sample_loss(spec, design_matrix(test, columns, spec.bias), std::move(test.labels)));
}

std::unique_ptr<LocalProblem> make_linear_problem(const LinearSpec& spec,
                                                  std::unique_ptr<SampleLoss> train,
                                                  std::unique_ptr<SampleLoss> validation,
                                                  std::unique_ptr<SampleLoss> test) {
  const HyperSizes sizes{train->dim(), train->samples(), spec.classes};
  return std::make_unique<LinearProblem>(
      make_hyperparameter_kind(spec.hyper, spec.l2, spec.initial_log_decay, sizes),
      std::move(train), std::move(validation), std::move(test));
}

}  // namespace hyperpush::model
