#include "hyperpush/explain/samples.hpp"

namespace hyperpush::explain {

Samples samples_of(const data::Dataset& d) {
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Samples s;
  s.x = Eigen::Map<const RowMajor>(d.features.data(), static_cast<Eigen::Index>(d.rows),
                                   static_cast<Eigen::Index>(d.cols));
  s.y = Eigen::Map<const Eigen::VectorXi>(d.labels.data(), static_cast<Eigen::Index>(d.rows));
  s.classes = d.classes;
  return s;
}

}  // namespace hyperpush::explain
