#pragma once
// Block mapping of n agents onto P ranks: rank r hosts the agents [first(r), first(r) + count(r)),
// the first n mod P ranks one agent more than the rest. n need not be a multiple of P, and a rank
// may host no agent at all when n < P.
namespace hyperpush::comm {

class AgentMap {
 public:
  AgentMap(int agents, int ranks);

  int agents() const { return agents_; }
  int ranks() const { return ranks_; }
  int first(int rank) const;
  int count(int rank) const { return base_ + (rank < extra_ ? 1 : 0); }
  int owner(int agent) const;

 private:
  int agents_, ranks_, base_, extra_;
};

}  // namespace hyperpush::comm
