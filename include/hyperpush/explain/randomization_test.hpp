#pragma once
// The model randomization test (specs/explain.md, "Tests"; after Adebayo et al. 2018): relevance
// scores of every training instance under the trained model and under a re-initialised model of
// the same architecture; per query the Spearman rank correlation over the training instances,
// averaged over queries. Low = the metric depends on the model (it should); the input-space
// metrics score exactly 1.
#include <Eigen/Core>
#include <vector>

namespace hyperpush::explain {

// Spearman's rank correlation, ties given their mean rank; NaN when a side is constant.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

// Mean over columns (queries) of spearman(trained.col(q), randomized.col(q)), skipping NaN
// columns; NaN when every column is NaN.
double randomization_test(const Eigen::MatrixXd& trained, const Eigen::MatrixXd& randomized);

}  // namespace hyperpush::explain
