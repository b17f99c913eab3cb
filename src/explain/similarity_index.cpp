#include "hyperpush/explain/similarity_index.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace hyperpush::explain {
namespace {

void normalise_rows(Eigen::MatrixXd& m) {
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    const double norm = m.row(i).norm();
    if (norm > 0) m.row(i) /= norm;
  }
}

}  // namespace

SimilarityIndex::SimilarityIndex(Eigen::MatrixXd rows, Similarity kind)
    : rows_(std::move(rows)), kind_(kind) {
  if (kind_ == Similarity::cosine) normalise_rows(rows_);
  squared_norms_ = rows_.rowwise().squaredNorm();
}

Eigen::MatrixXd SimilarityIndex::scores(const Eigen::MatrixXd& queries) const {
  if (kind_ == Similarity::cosine) {
    Eigen::MatrixXd q = queries;
    normalise_rows(q);
    return rows_ * q.transpose();
  }
  Eigen::MatrixXd s = rows_ * queries.transpose();
  if (kind_ == Similarity::negative_l2) {
    const Eigen::VectorXd q2 = queries.rowwise().squaredNorm();
    for (Eigen::Index j = 0; j < s.cols(); ++j)
      for (Eigen::Index i = 0; i < s.rows(); ++i)
        s(i, j) = -std::sqrt(std::max(0.0, squared_norms_(i) + q2(j) - 2 * s(i, j)));
  }
  return s;
}

std::vector<TopK> SimilarityIndex::top_k(const Eigen::MatrixXd& queries, int k, std::int64_t agent,
                                         Eigen::Index batch) const {
  std::vector<TopK> out;
  out.reserve(static_cast<std::size_t>(queries.rows()));
  for (Eigen::Index lo = 0; lo < queries.rows(); lo += batch) {
    const Eigen::Index b = std::min(batch, queries.rows() - lo);
    const Eigen::MatrixXd s = scores(queries.middleRows(lo, b));
    for (Eigen::Index j = 0; j < b; ++j)
      out.push_back(top_k_of(s.col(j).data(), static_cast<std::size_t>(s.rows()), k, agent));
  }
  return out;
}

}  // namespace hyperpush::explain
