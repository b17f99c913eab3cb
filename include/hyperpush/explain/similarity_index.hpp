#pragma once
// Cached training-side embeddings (inputs, gradients, or transformed gradients) scored against
// batches of queries by one matrix product (specs/explain.md, "Computing GC at scale"):
//   dot          S = E Qᵀ
//   cosine       S = Ê Q̂ᵀ, Ê = rows of E divided by their norms (precomputed once; a zero row
//                stays zero, so its cosine is 0)
//   negative_l2  S_iq = −√max(0, ‖e_i‖² + ‖q‖² − 2 e_i·q)
// Cost per batch of b queries of dimension D over N rows: 2·N·D·b flops (one GEMM) + the per-column
// top-k, N·b memory for the score block.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "hyperpush/explain/top_k.hpp"

namespace hyperpush::explain {

enum class Similarity { dot, cosine, negative_l2 };

class SimilarityIndex {
 public:
  SimilarityIndex(Eigen::MatrixXd rows, Similarity kind);

  Eigen::Index size() const { return rows_.rows(); }
  Eigen::Index dim() const { return rows_.cols(); }
  Similarity kind() const { return kind_; }

  // N × M scores of every row against every query (one row of `queries` per query).
  Eigen::MatrixXd scores(const Eigen::MatrixXd& queries) const;
  // The k best rows per query, scoring `batch` queries per product; candidates name `agent`.
  std::vector<TopK> top_k(const Eigen::MatrixXd& queries, int k, std::int64_t agent = 0,
                          Eigen::Index batch = 256) const;

 private:
  Eigen::MatrixXd rows_;  // normalised for cosine
  Eigen::VectorXd squared_norms_;
  Similarity kind_;
};

}  // namespace hyperpush::explain
