#include "hyperpush/consensus/merge_consensus.hpp"

#include <utility>

namespace hyperpush::consensus {

void merge_consensus(Gossip& gossip, std::vector<double>& values, int width, std::int64_t rounds,
                     const comm::Reduce& merge) {
  comm::Exchange& exchange = gossip.exchange(width);
  std::vector<double> next(values.size());
  for (std::int64_t t = 0; t < rounds; ++t) {
    exchange.push(gossip.next_round(), values.data(), next.data(), merge);
    std::swap(values, next);
  }
}

}  // namespace hyperpush::consensus
