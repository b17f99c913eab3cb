// torus: the 2-D torus of r × c agents, r = the largest divisor of n with r ≤ sqrt(n), c = n / r
// (as square as n allows). Agent i sits at (i / c, i % c) and exchanges with its four wrapping
// neighbours (row ± 1, col ± 1), both directions. Neighbours that coincide (r or c ≤ 2) are kept
// once, and a side of length 1 contributes none; so a prime n gives r = 1, the bidirectional ring
// of n agents. Diameter floor(r/2) + floor(c/2); at most 4 peers: scalable.
#include <memory>

#include "topology_kinds.hpp"

namespace hyperpush::graph::topologies {
namespace {

class Torus final : public StaticTopology {
 public:
  explicit Torus(int agents) : StaticTopology(agents) {
    for (int r = 1; static_cast<long long>(r) * r <= agents; ++r)
      if (agents % r == 0) rows_ = r;
    cols_ = agents / rows_;
  }
  void edges(std::int64_t, EdgeList& out) const override {
    for (int i = 0; i < agents_; ++i) {
      const int row = i / cols_, col = i % cols_;
      const int neighbours[4] = {
          ((row + 1) % rows_) * cols_ + col, ((row + rows_ - 1) % rows_) * cols_ + col,
          row * cols_ + (col + 1) % cols_, row * cols_ + (col + cols_ - 1) % cols_};
      // Digraph::assign drops the duplicates of r or c = 2 and the self-loops of r or c = 1.
      for (int j : neighbours)
        if (j != i) out.emplace_back(i, j);
    }
  }

 private:
  int rows_ = 1, cols_ = 1;
};

}  // namespace

const TopologyKind torus = {
    "torus", "2-D wrapping grid r x c (r the largest divisor <= sqrt(n)), 4 peers; prime n: a ring",
    /*time_varying=*/false, /*scalable=*/true, make_from_agents<Torus>};

}  // namespace hyperpush::graph::topologies
