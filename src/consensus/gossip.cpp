#include "hyperpush/consensus/gossip.hpp"

#include "hyperpush/error.hpp"

namespace hyperpush::consensus {

Gossip::Gossip(const comm::Communicator& comm, graph::Schedule& schedule,
               const comm::ExchangeOptions& options)
    : comm_(comm), schedule_(schedule), map_(schedule.agents(), comm.size()), options_(options) {}

comm::Exchange& Gossip::exchange(int width, int channel) {
  auto& slot = exchanges_[{channel, width}];
  if (!slot) {
    comm::ExchangeOptions options = options_;
    if (channel < kCompressed) options.compress = {};
    slot = std::make_unique<comm::Exchange>(comm_, map_.agents(), width, options, &position_);
  }
  return *slot;
}

const char* Gossip::switch_to(const char* label) {
  const auto now = std::chrono::steady_clock::now();
  PhaseTime& time = phase_times_[position_.phase];
  time.seconds += std::chrono::duration<double>(now - segment_start_).count();
  time.push_seconds += position_.push_seconds;
  position_.push_seconds = 0;
  segment_start_ = now;
  const char* ended = position_.phase;
  position_.phase = label;
  return ended;
}

std::map<std::string, Gossip::PhaseTime> Gossip::phase_times() const {
  auto times = phase_times_;  // and the segment still open
  PhaseTime& open = times[position_.phase];
  open.seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - segment_start_).count();
  open.push_seconds += position_.push_seconds;
  return times;
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

std::vector<std::pair<int, int>> Gossip::channels() const {
  std::vector<std::pair<int, int>> keys;
  for (const auto& [key, exchange] : exchanges_) keys.push_back(key);
  return keys;
}

std::vector<double> Gossip::agent_state(int local) const {
  std::vector<double> row;
  for (const auto& [key, exchange] : exchanges_) {
    const auto part = exchange->agent_state(local);
    row.push_back(static_cast<double>(part.size()));
    row.insert(row.end(), part.begin(), part.end());
  }
  return row;
}

void Gossip::restore(const std::vector<std::pair<int, int>>& channels,
                     const std::vector<std::vector<double>>& local_rows) {
  std::vector<comm::Exchange*> listed;
  for (const auto& [channel, width] : channels) listed.push_back(&exchange(width, channel));
  for (int i = 0; i < local_count(); ++i) {
    const auto& row = local_rows.at(i);
    std::size_t at = 0;
    for (comm::Exchange* e : listed) {
      const double size = at < row.size() ? row[at++] : -1;
      if (!(size >= 0 && size <= static_cast<double>(row.size() - at)))
        throw Error("checkpoint: a communication state of another shape");
      e->restore_agent(i, {row.begin() + at, row.begin() + at + static_cast<std::size_t>(size)});
      at += static_cast<std::size_t>(size);
    }
    if (at != row.size()) throw Error("checkpoint: a communication state of another shape");
  }
}

}  // namespace hyperpush::consensus
