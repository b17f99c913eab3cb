#pragma once
// The floor of one HGP hyper-gradient: its arithmetic and nothing else, with the fastest kernels
// this CPU runs (hgp_floor.cpp is compiled with -O3 -march=native and uses no Eigen, so no template
// of the library is instantiated with other instructions than the library's own).
#include <cstdint>
#include <vector>

namespace hyperpush::bench {

// One agent's training design matrix, row-major m × q.
struct FloorDesign {
  const double* a;
  int m, q;
};

// Per Neumann step (depth of them): for every local agent one Hessian-vector product
// Aᵀ (c ⊙ A w), both products in one pass over A; then `rounds` mixing passes, each
// computing every local agent's row of q + 1 numbers as Σ p_ji x_i over its in-edges
// (in_edges[round][j]: (sender, weight) pairs over all agents; rows[sender] the sender's row).
using InEdges = std::vector<std::vector<std::vector<std::pair<int, double>>>>;
void hgp_floor(const std::vector<FloorDesign>& designs, int depth, int rounds,
               const InEdges& in_edges, int agents, int first);

}  // namespace hyperpush::bench
