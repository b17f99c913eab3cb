#pragma once
// The Eigen reference's data terms (sample_loss.hpp) of the linear models: the design matrix A
// (m × q, one sample per row, bias column included) and the labels on the host, in double. Internal
// to the model layer; linear_problem.hpp has the losses.
#include <Eigen/Core>
#include <memory>

#include "hyperpush/model/sample_loss.hpp"

namespace hyperpush::model::detail {

// Row-major: a sample's features are contiguous, so a block of rows can be used twice while it is
// in L1 (binary_linear_loss.cpp); A·v and Aᵀ·r are still single GEMVs.
using DesignMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

class EigenSampleLoss : public SampleLoss {
 public:
  // design: m × q; labels: m, already validated. The sample weights start at 1/m.
  EigenSampleLoss(DesignMatrix design, Eigen::VectorXi labels);

  int samples() const override { return static_cast<int>(design_.rows()); }
  void set_sample_weights(const VectorRef& s) const override { weights_ = s; }
  double accuracy(const VectorRef& x) const override;

 protected:
  DesignMatrix design_;     // A, m × q
  Eigen::VectorXi labels_;  // m
  mutable Vector weights_;  // s, m
};

// ℓ_k = log(1 + e^{z_k}) − y_k z_k, z = A x.
std::unique_ptr<SampleLoss> make_logistic_loss(DesignMatrix design, Eigen::VectorXi labels);
// ℓ_k = ½ (z_k − t_k)², t_k = 2 y_k − 1, z = A x.
std::unique_ptr<SampleLoss> make_ridge_loss(DesignMatrix design, Eigen::VectorXi labels);
// ℓ_k = logsumexp(Z_k·) − Z_{k,y_k}, Z = A X, X = reshape(x, q, classes) column-major.
std::unique_ptr<SampleLoss> make_softmax_loss(DesignMatrix design, Eigen::VectorXi labels,
                                              int classes);

}  // namespace hyperpush::model::detail
