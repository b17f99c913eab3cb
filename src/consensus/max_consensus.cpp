#include "hyperpush/consensus/max_consensus.hpp"

#include <utility>

namespace hyperpush::consensus {

void max_consensus(Gossip& gossip, std::vector<double>& values, int width, std::int64_t rounds) {
  comm::Exchange& exchange = gossip.exchange(width);
  std::vector<double> next(values.size());
  for (std::int64_t t = 0; t < rounds; ++t) {
    exchange.push(gossip.next_round(), values.data(), next.data(), comm::Combine::max);
    std::swap(values, next);
  }
}

std::int64_t flooding_rounds(int agents, std::int64_t b) {
  return static_cast<std::int64_t>(agents - 1) * b;
}

}  // namespace hyperpush::consensus
