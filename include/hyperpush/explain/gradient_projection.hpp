#pragma once
// Seeded Johnson–Lindenstrauss projection of loss gradients to k dimensions (specs/explain.md,
// "Computing GC at scale"): R ∈ R^{k×P}, R_ij = N(0, 1)/√k drawn from
// random_normal(seed, Purpose::explain, 0, i, j) (random.hpp), so E[(Ra)·(Rb)] = a·b and cosines
// are kept up to O(1/√k). Memory k·P numbers instead of N·P for the cached gradients.
#include <Eigen/Core>
#include <cstdint>

namespace hyperpush::explain {

Eigen::MatrixXd gradient_projection(int k, int params, std::uint64_t seed);

}  // namespace hyperpush::explain
