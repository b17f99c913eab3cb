#pragma once
// A data set as the explain layer computes on it: an m × f Eigen matrix (one sample per row) and
// the labels.
#include <Eigen/Core>

#include "hyperpush/data/dataset.hpp"

namespace hyperpush::explain {

struct Samples {
  Eigen::MatrixXd x;  // m × f
  Eigen::VectorXi y;  // m, in [0, classes)
  int classes = 0;
};

Samples samples_of(const data::Dataset& d);

}  // namespace hyperpush::explain
