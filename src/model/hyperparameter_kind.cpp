// The four kinds of hyperparameters (hyperparameter_kind.hpp), one type each: two decays learned
// through e^λ, and two kinds that leave x under the fixed decay l2 and act on the data term.
#include "hyperpush/model/hyperparameter_kind.hpp"

#include <cmath>
#include <sstream>

#include "hyperpush/error.hpp"

namespace hyperpush::model {
namespace {

// δ = e^λ + l2 for every entry of x: ½ (e^λ + l2) ‖x‖².
class L2Decay final : public HyperparameterKind {
 public:
  using HyperparameterKind::HyperparameterKind;

  double regularizer(const VectorRef& x, const VectorRef& lambda) const override {
    return 0.5 * (std::exp(lambda[0]) + l2_) * x.squaredNorm();
  }
  void add_hessian_times(const VectorRef& lambda, const VectorRef& v,
                         VectorOut out) const override {
    out += (std::exp(lambda[0]) + l2_) * v;
  }
  void add_hessian(const VectorRef& lambda, Matrix& h) const override {
    h.diagonal().array() += std::exp(lambda[0]) + l2_;
  }
  void cross_vector(const SampleLoss&, const VectorRef& x, const VectorRef& lambda,
                    const VectorRef& w, VectorOut out) const override {
    out[0] = std::exp(lambda[0]) * x.dot(w);  // ∂/∂λ (e^λ + l2) xᵀw
  }
  std::optional<Matrix> cross_jacobian(const SampleLoss&, const VectorRef& x,
                                       const VectorRef& lambda) const override {
    return Matrix(std::exp(lambda[0]) * x.transpose());  // e^λ xᵀ
  }
};

// δ_j = e^{λ_j} + l2: ½ Σ_j (e^{λ_j} + l2) x_j².
class PerFeatureDecay final : public HyperparameterKind {
 public:
  using HyperparameterKind::HyperparameterKind;

  double regularizer(const VectorRef& x, const VectorRef& lambda) const override {
    return 0.5 * decay(lambda).dot(x.cwiseAbs2());
  }
  void add_hessian_times(const VectorRef& lambda, const VectorRef& v,
                         VectorOut out) const override {
    out += decay(lambda).cwiseProduct(v);
  }
  void add_hessian(const VectorRef& lambda, Matrix& h) const override {
    h.diagonal() += decay(lambda);
  }
  void cross_vector(const SampleLoss&, const VectorRef& x, const VectorRef& lambda,
                    const VectorRef& w, VectorOut out) const override {
    out = (lambda.array().exp() * x.array() * w.array()).matrix();  // e^λ ⊙ x ⊙ w
  }
  std::optional<Matrix> cross_jacobian(const SampleLoss&, const VectorRef& x,
                                       const VectorRef& lambda) const override {
    const Vector diagonal = lambda.array().exp() * x.array();  // diag(e^λ ⊙ x)
    return Matrix(diagonal.asDiagonal());
  }

 private:
  // e^λ + l2, kept with the λ it belongs to (HVPs repeat the same λ).
  const Vector& decay(const VectorRef& lambda) const {
    if (!cached_ || lambda != lambda_) {
      lambda_ = lambda;
      decay_ = lambda.array().exp() + l2_;
      cached_ = true;
    }
    return decay_;
  }

  mutable bool cached_ = false;
  mutable Vector lambda_, decay_;
};

// δ = l2 whatever λ: ½ l2 ‖x‖²; λ acts on the data term.
class FixedDecay : public HyperparameterKind {
 public:
  using HyperparameterKind::HyperparameterKind;
  double regularizer(const VectorRef& x, const VectorRef&) const override {
    return 0.5 * l2_ * x.squaredNorm();
  }
  void add_hessian_times(const VectorRef&, const VectorRef& v, VectorOut out) const override {
    out += l2_ * v;
  }
  void add_hessian(const VectorRef&, Matrix& h) const override { h.diagonal().array() += l2_; }
};

// s = λ/m: J w = ∂/∂λ_k (λ_k/m) ∇ℓ_kᵀ w = ∇ℓ_kᵀ w / m.
class PerSampleWeights final : public FixedDecay {
 public:
  using FixedDecay::FixedDecay;
  bool weighs_samples() const override { return true; }
  void apply(const VectorRef& lambda, const SampleLoss& part, bool training) const override {
    if (training) part.set_sample_weights(lambda / part.samples());
  }

  void cross_vector(const SampleLoss& train, const VectorRef& x, const VectorRef&,
                    const VectorRef& w, VectorOut out) const override {
    train.sample_gradient_dots(x, w, out);
    out /= train.samples();
  }
  std::optional<Matrix> cross_jacobian(const SampleLoss& train, const VectorRef& x,
                                       const VectorRef&) const override {
    std::optional<Matrix> rows = train.sample_gradients(x);  // row k: ∇ℓ_k(x)ᵀ
    if (rows) *rows /= train.samples();
    return rows;
  }
};

// b = λ in every part: J w = Σ_k s_k R_k, ∇_λ f = (1/m_val) Σ_k (P_k − Y_k).
class PerClassOffsets final : public FixedDecay {
 public:
  using FixedDecay::FixedDecay;
  bool offsets_logits() const override { return true; }
  void apply(const VectorRef& lambda, const SampleLoss& part, bool) const override {
    part.set_logit_offset(lambda);
  }

  void cross_vector(const SampleLoss& train, const VectorRef& x, const VectorRef&,
                    const VectorRef& w, VectorOut out) const override {
    train.offset_cross_vector(x, w, out);
  }
  void outer_gradient(const SampleLoss& validation, const VectorRef& x, const VectorRef&,
                      VectorOut out) const override {
    validation.offset_gradient(x, out);
  }
};

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

void HyperparameterKind::apply(const VectorRef&, const SampleLoss&, bool) const {}

std::optional<Matrix> HyperparameterKind::cross_jacobian(const SampleLoss&, const VectorRef&,
                                                         const VectorRef&) const {
  return std::nullopt;
}

void HyperparameterKind::outer_gradient(const SampleLoss&, const VectorRef&, const VectorRef&,
                                        VectorOut out) const {
  out.setZero();  // f does not depend on λ
}

void check_minibatch(const HyperparameterKind& kind, const LocalProblem::Minibatch& batch) {
  if (!batch.train.empty() && kind.weighs_samples())
    throw Error(
        "minibatches: per-sample weights λ_k would each be seen by one minibatch in m/b; "
        "valid: hypergradient.batch = 0 with model.hyper = per-sample");
}

std::unique_ptr<HyperparameterKind> make_hyperparameter_kind(HyperKind kind, double l2,
                                                             double initial_log_decay,
                                                             HyperSizes sizes) {
  switch (kind) {
    case HyperKind::l2:
      return std::make_unique<L2Decay>(l2, Vector::Constant(1, initial_log_decay));
    case HyperKind::per_feature:
      return std::make_unique<PerFeatureDecay>(l2, Vector::Constant(sizes.dim, initial_log_decay));
    case HyperKind::per_sample:
      return std::make_unique<PerSampleWeights>(l2, Vector::Ones(sizes.samples));
    case HyperKind::per_class:
      return std::make_unique<PerClassOffsets>(l2, Vector::Zero(sizes.classes));
  }
  return nullptr;
}

void check_decay(double l2, double initial_log_decay, const std::string& where) {
  if (!(l2 >= 0 && std::isfinite(l2)))
    throw Error(where + ": l2 = " + number(l2) + " is invalid; expected l2 >= 0");
  if (!std::isfinite(initial_log_decay))
    throw Error(where + ": initial_log_decay = " + number(initial_log_decay) +
                " is invalid; expected a finite number");
}

void check_strong_convexity(HyperKind kind, double l2, const std::string& where) {
  const char* what = kind == HyperKind::per_sample  ? "per-sample weights"
                     : kind == HyperKind::per_class ? "per-class logit weights"
                                                    : nullptr;
  if (what && l2 <= 0)
    throw Error(where + ": " + what + " need l2 > 0 (got " + number(l2) +
                ") to keep the inner problem strongly convex");
}

}  // namespace hyperpush::model
