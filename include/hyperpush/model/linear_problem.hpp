#pragma once
// Linear models as local bilevel problems (backend `eigen`, the reference: analytic, double).
//
// With A the m × q design matrix (features, then a column of ones when `bias`), x the model:
//   logistic  (2 classes)  ℓ_k = log(1 + e^{z_k}) − y_k z_k,        z = A x, x ∈ R^q
//   softmax   (C classes)  ℓ_k = logsumexp(Z_k·) − Z_{k,y_k},       Z = A X, X ∈ R^{q×C}
//                          (x = vec(X), column-major)
//   ridge     (2 classes)  ℓ_k = ½ (z_k − t_k)², t_k = 2 y_k − 1      (least-squares classifier)
// Inner loss on the training part g = Σ_k s_k ℓ_k + ½ Σ_j δ_j x_j² with the sample weights s
// (1/m), logit offsets and decays δ (l2 and more) of the hyperparameter kind
// (hyperparameter_kind.hpp: l2, per-feature, per-sample, per-class, with J w of each); outer loss f
// = (1/m_val) Σ_k ℓ_k on the validation part (with per-class offsets), 0 when the validation part
// is empty. test_metric: accuracy on the test part (predicted class: largest logit, of Z + 1 λᵀ for
// per-class; z > 0 for logistic and ridge); NaN when the test part is empty.
// Per-feature decay has one λ_j per entry of x: d = q for logistic and ridge, q·C for softmax.
// The bias weight is decayed like the others.
//
// Cost: an HVP is one pass over the training design matrix (4 m q C flops, no allocation); what
// depends on x alone (logits, σ(1 − σ), softmax probabilities) is cached for the last x seen, so
// HVPs at one x with many w (HGP) do not recompute it. Not thread-safe (see local_problem.hpp).
#include <Eigen/Core>
#include <memory>
#include <string>

#include "hyperpush/model/hyperparameter_kind.hpp"
#include "hyperpush/model/local_problem.hpp"
#include "hyperpush/model/sample_loss.hpp"

namespace hyperpush::model {

enum class LinearKind { logistic, softmax, ridge };

struct LabelledData {
  Matrix features;         // m × (number of raw features), one sample per row
  Eigen::VectorXi labels;  // m, in [0, classes)
};

struct LinearSpec {
  LinearKind kind = LinearKind::logistic;
  HyperKind hyper = HyperKind::l2;
  int classes = 2;   // softmax: C; logistic and ridge need 2
  bool bias = true;  // append a column of ones
  double l2 = 0.0;   // fixed ridge term, ≥ 0 (> 0 for per-sample, per-class)
  double initial_log_decay = -2.302585092994046;  // λ(0) for l2 / per-feature: log 0.1
};

// Throws hyperpush::Error on inconsistent inputs: l2 < 0 or not finite, initial_log_decay not
// finite, logistic or ridge with classes != 2, softmax with classes < 2, per-sample or per-class
// with l2 = 0, per-class with logistic or ridge (one logit),
// an empty training part, a part whose feature rows and labels differ in number, a non-empty part
// whose column count differs from the training part's, a label outside [0, classes), a feature
// that is not finite, a model without parameters. Validation and test parts may be empty.
// The checks of make_linear_problem alone (every backend of the linear models calls them, so the
// messages are the same whatever the backend); throws hyperpush::Error.
void check_linear_inputs(const LinearSpec& spec, const LabelledData& train,
                         const LabelledData& validation, const LabelledData& test);

// One data part's checks alone (rows and labels agree, `columns` feature columns when not empty,
// labels in [0, classes), finite features); messages start with `where`. Every backend's parts.
void check_labelled_part(const LabelledData& part, const std::string& where, Eigen::Index columns,
                         int classes);

std::unique_ptr<LocalProblem> make_linear_problem(const LinearSpec& spec, LabelledData train,
                                                  LabelledData validation, LabelledData test);

// The same problem over any backend's data terms (sample_loss.hpp) of parts check_linear_inputs
// accepted: the one implementation of the oracles, with the regularizer and J w of
// hyperparameter_kind.hpp. make_linear_problem gives it the Eigen reference's, make_cuda_problem
// (cuda/cuda_problem.hpp) the device's.
std::unique_ptr<LocalProblem> make_linear_problem(const LinearSpec& spec,
                                                  std::unique_ptr<SampleLoss> train,
                                                  std::unique_ptr<SampleLoss> validation,
                                                  std::unique_ptr<SampleLoss> test);

}  // namespace hyperpush::model
