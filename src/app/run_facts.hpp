#pragma once
// The facts of the machine a run ran on, for its timings.json (never summary.json: they differ
// between machines and rank counts while the results must not).
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "hyperpush/app/task.hpp"
#include "hyperpush/comm/exchange.hpp"
#include "hyperpush/consensus/gossip.hpp"

namespace hyperpush::app {

// {"ranks", "host", "threads": {"requested", "blas", "blas_threads", "openmp_threads"}}; an
// unknown thread count (no such library loaded) is null.
nlohmann::json run_facts(const RunContext& context);

// {"mpi_messages", "mpi_bytes"}: what every rank sent over MPI (`wire` is this rank's), summed on
// rank 0 (empty elsewhere). Collective.
nlohmann::json wire_facts(const RunContext& context, const comm::WireTraffic& wire);

// This rank's time per phase, summed over the gossips of a run (consensus::Gossip::phase_times).
using PhaseTimes = std::map<std::string, consensus::Gossip::PhaseTime>;
void add_phase_times(PhaseTimes& into, const consensus::Gossip& gossip);

// {"phases": {label: {"seconds", "push_seconds"}}}: the slowest rank's seconds per phase (every
// rank runs the same phases), on rank 0 (empty elsewhere). Collective.
nlohmann::json phase_facts(const RunContext& context, const PhaseTimes& times);

// {"max_rss_mb": [one per rank]}: each rank's peak resident memory so far, on rank 0 (empty
// elsewhere). Collective.
nlohmann::json memory_facts(const RunContext& context);

}  // namespace hyperpush::app
