#include "hyperpush/consensus/gossip.hpp"

namespace hyperpush::consensus {
namespace {
int rank_of(MPI_Comm comm) {
  int r = 0;
  MPI_Comm_rank(comm, &r);
  return r;
}
int size_of(MPI_Comm comm) {
  int p = 1;
  MPI_Comm_size(comm, &p);
  return p;
}
}  // namespace

Gossip::Gossip(MPI_Comm comm, graph::Schedule& schedule, const comm::ExchangeOptions& options)
    : comm_(comm),
      rank_(rank_of(comm)),
      schedule_(schedule),
      map_(schedule.agents(), size_of(comm)),
      options_(options) {}

comm::Exchange& Gossip::exchange(int width, int channel) {
  auto& slot = exchanges_[{channel, width}];
  if (!slot)
    slot = std::make_unique<comm::Exchange>(comm_, map_.agents(), width, options_, &position_);
  return *slot;
}

comm::AgentTraffic Gossip::traffic(int local) const {
  comm::AgentTraffic total;
  for (const auto& [key, exchange] : exchanges_) {
    total.messages += exchange->traffic(local).messages;
    total.bytes += exchange->traffic(local).bytes;
  }
  return total;
}

comm::WireTraffic Gossip::wire() const {
  comm::WireTraffic total;
  for (const auto& [key, exchange] : exchanges_) {
    total.messages += exchange->wire().messages;
    total.bytes += exchange->wire().bytes;
  }
  return total;
}

}  // namespace hyperpush::consensus
