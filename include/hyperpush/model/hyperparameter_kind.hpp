#pragma once
// How an agent's hyperparameters λ enter its bilevel problem, written once for every backend.
// With ℓ_k the loss of training sample k of m and x ∈ R^d the shared model,
//   g(x, λ) = Σ_k s_k(λ) ℓ_k(x; b(λ)) + ½ Σ_j δ_j(λ) x_j²,   f(x, λ) = (1/m_val) Σ_k ℓ_k(x; b(λ))
//
//   kind          λ ∈   λ(0)        s_k(λ)  b(λ)  δ_j(λ)          J w = ∂/∂λ ⟨∇_x g, w⟩
//   l2            R     log decay   1/m     0     e^λ + l2        e^λ xᵀw
//   per-feature   R^d   log decay   1/m     0     e^{λ_j} + l2    e^λ ⊙ x ⊙ w
//   per-sample    R^m   1           λ_k/m   0     l2              (1/m) [∇ℓ_kᵀ w]_k
//   per-class     R^C   0           1/m     λ     l2              Σ_k s_k R_k (sample_loss.hpp)
//
// b(λ) adds λ_c to every logit of class c in g and f (personalization: a learned per-agent
// log-prior over the classes), so per-class is the only kind with ∇_λ f = (1/m_val) Σ_k (P_k − Y_k)
// ≠ 0. Where λ does not decay x (per-sample, per-class) l2 > 0 keeps g strongly convex.
//
// A backend supplies the data term Σ_k s_k ℓ_k of each part (SampleLoss: the Eigen reference, the
// cuda backend) and this algebra adds the regularizer and assembles J w; a backend with autograd
// (torch) writes g as one expression from s(λ), b(λ) and δ(λ) and takes the derivatives itself.
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "hyperpush/model/local_problem.hpp"
#include "hyperpush/model/sample_loss.hpp"

namespace hyperpush::model {

enum class HyperKind { l2, per_feature, per_sample, per_class };

// The sizes λ depends on.
struct HyperSizes {
  int dim = 0;      // d
  int samples = 0;  // m, training samples
  int classes = 0;  // C, logits per sample
};

class HyperparameterKind {
 public:
  // l2: the fixed decay; initial: λ(0).
  HyperparameterKind(double l2, Vector initial) : l2_(l2), initial_(std::move(initial)) {}
  virtual ~HyperparameterKind() = default;
  HyperparameterKind(const HyperparameterKind&) = delete;
  HyperparameterKind& operator=(const HyperparameterKind&) = delete;

  int dim() const { return static_cast<int>(initial_.size()); }  // p
  const Vector& initial() const { return initial_; }             // λ(0)

  // Where λ enters the data term: s = λ/m (per-sample), b = λ (per-class).
  virtual bool weighs_samples() const { return false; }
  virtual bool offsets_logits() const { return false; }
  // Puts λ into a part's data term where the kind has it: per-sample weights on the training
  // part, per-class offsets on every part. Every oracle on a part goes through here.
  virtual void apply(const VectorRef& lambda, const SampleLoss& part, bool training) const;

  // The regularizer ½ Σ_j δ_j(λ) x_j², out += D(λ) v and h += D(λ), D = diag(δ) its Hessian.
  virtual double regularizer(const VectorRef& x, const VectorRef& lambda) const = 0;
  virtual void add_hessian_times(const VectorRef& lambda, const VectorRef& v,
                                 VectorOut out) const = 0;
  virtual void add_hessian(const VectorRef& lambda, Matrix& h) const = 0;

  // J w (p entries), from the regularizer or from the training part's data term.
  virtual void cross_vector(const SampleLoss& train, const VectorRef& x, const VectorRef& lambda,
                            const VectorRef& w, VectorOut out) const = 0;
  // The dense J (p × d) where it has a closed form (the decays; per-sample weights where the
  // backend has SampleLoss::sample_gradients); std::nullopt otherwise (the problem takes d
  // products J e_j).
  virtual std::optional<Matrix> cross_jacobian(const SampleLoss& train, const VectorRef& x,
                                               const VectorRef& lambda) const;
  // ∇_λ f from the validation part's data term (0 unless λ offsets the logits).
  virtual void outer_gradient(const SampleLoss& validation, const VectorRef& x,
                              const VectorRef& lambda, VectorOut out) const;

 protected:
  double l2_;
  Vector initial_;
};

// Throws hyperpush::Error for a training minibatch under a kind that weighs samples (per-sample:
// each λ_k would be seen by one minibatch in m/b); LocalProblem::use_minibatch of every backend.
void check_minibatch(const HyperparameterKind& kind, const LocalProblem::Minibatch& batch);

std::unique_ptr<HyperparameterKind> make_hyperparameter_kind(HyperKind kind, double l2,
                                                             double initial_log_decay,
                                                             HyperSizes sizes);

// The checks of the regularizer every backend makes, each message led by `where` ("linear
// problem", "torch problem"); throw hyperpush::Error. check_decay: l2 ≥ 0 and finite, a finite
// initial_log_decay. check_strong_convexity: l2 > 0 for per-sample weights and per-class offsets.
void check_decay(double l2, double initial_log_decay, const std::string& where);
void check_strong_convexity(HyperKind kind, double l2, const std::string& where);

}  // namespace hyperpush::model
