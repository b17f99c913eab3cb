#pragma once
// The oracle interface of one agent's bilevel problem (specs/hgp.md, "Problem"):
//   inner loss g_i(x, λ_i) on its training data, outer loss f_i(x, λ_i) on its validation data,
//   x ∈ R^d the shared model, λ_i ∈ R^p the agent's private hyperparameters.
// Only products are required (H_i·w, J_i·w), never a formed matrix: this is what HGP needs and
// what scales. Everything is double precision and deterministic (no threads unless asked).
//
// To plug in a model of your own, derive from LocalProblem and implement the pure virtual
// functions; the dense hessian() has a default built from d Hessian-vector products.
//
// A LocalProblem is not thread-safe, not even its const functions: implementations may cache
// quantities of the last x they saw in mutable members (the linear models do, so that the many
// Hessian-vector products HGP takes at one x cost one pass over the data each). Use one object per
// thread.
#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

namespace hyperpush::model {

using Vector = Eigen::VectorXd;
using Matrix = Eigen::MatrixXd;
using VectorRef = Eigen::Ref<const Eigen::VectorXd>;
using VectorOut = Eigen::Ref<Eigen::VectorXd>;

class LocalProblem {
 public:
  virtual ~LocalProblem() = default;

  virtual int dim() const = 0;        // d: size of the shared model x
  virtual int hyper_dim() const = 0;  // p: size of this agent's λ_i

  // g_i(x, λ) and ∇_x g_i(x, λ).
  virtual double inner_loss(const VectorRef& x, const VectorRef& lambda) const = 0;
  virtual void inner_gradient(const VectorRef& x, const VectorRef& lambda, VectorOut out) const = 0;
  // H_i w = ∇²_xx g_i(x, λ) w.
  virtual void hessian_vector(const VectorRef& x, const VectorRef& lambda, const VectorRef& w,
                              VectorOut out) const = 0;
  // J_i w = ∇²_{λx} g_i(x, λ) w ∈ R^p (the mixed second derivative applied to w ∈ R^d).
  virtual void cross_vector(const VectorRef& x, const VectorRef& lambda, const VectorRef& w,
                            VectorOut out) const = 0;

  // f_i(x, λ), ∇_x f_i(x, λ), ∇_λ f_i(x, λ).
  virtual double outer_loss(const VectorRef& x, const VectorRef& lambda) const = 0;
  virtual void outer_gradient_x(const VectorRef& x, const VectorRef& lambda,
                                VectorOut out) const = 0;
  virtual void outer_gradient_lambda(const VectorRef& x, const VectorRef& lambda,
                                     VectorOut out) const = 0;

  // Dense ∇²_xx g_i (d × d), for the exact oracle and Newton on small problems. Default: d HVPs.
  virtual Matrix hessian(const VectorRef& x, const VectorRef& lambda) const;
  // Dense J_i (p × d). Default: from cross_vector with unit vectors.
  virtual Matrix cross_jacobian(const VectorRef& x, const VectorRef& lambda) const;

  // The agent's model is x with λ where λ is part of the model (per-class logit offsets, the
  // personalization kind), x alone where λ only regularizes or weighs the training loss.
  // Test accuracy or a similar task metric of the agent's model on held-out data; NaN when the
  // model has none.
  virtual double test_metric(const VectorRef& x, const VectorRef& lambda) const;
  // The class the agent's model predicts for every sample of its training or test part (for
  // surrogate models such as stable trees); empty when the model does not classify.
  enum class Part { train, test };
  virtual Eigen::VectorXi predict(const VectorRef& x, const VectorRef& lambda, Part part) const;
  // The λ_i the run starts from.
  virtual Vector initial_lambda() const = 0;

  // Minibatches (hypergradient.batch and outer_batch): the training samples g_i's data term
  // averages over and the validation samples f_i averages over; 0 where the problem is no such
  // mean (the default).
  virtual int train_samples() const { return 0; }
  virtual int validation_samples() const { return 0; }
  // Sample rows (ascending, distinct); an empty list means the whole part.
  struct Minibatch {
    std::vector<int> train, validation;
  };
  // Until the next call: hessian_vector and cross_vector take the data term's mean over the
  // training rows `batch.train` instead of over the whole part, and outer_loss, outer_gradient_x
  // and outer_gradient_lambda f_i's mean over the validation rows `batch.validation`: unbiased
  // estimates of the full products when the rows are drawn uniformly. inner_loss and
  // inner_gradient stay full-batch. Throws hyperpush::Error where the problem has no minibatches
  // (the default, with the empty batch accepted) or they would be biased (per-sample weights).
  virtual void use_minibatch(const Minibatch& batch) const;
};

}  // namespace hyperpush::model
