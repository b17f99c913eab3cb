#pragma once
// The facts of the machine a run ran on, for its timings.json (never summary.json: they differ
// between machines and rank counts while the results must not).
#include <nlohmann/json.hpp>

#include "hyperpush/app/task.hpp"
#include "hyperpush/comm/exchange.hpp"

namespace hyperpush::app {

// {"ranks", "host", "threads": {"requested", "blas", "blas_threads", "openmp_threads"}}; an
// unknown thread count (no such library loaded) is null.
nlohmann::json run_facts(const RunContext& context);

// {"mpi_messages", "mpi_bytes"}: what every rank sent over MPI (`wire` is this rank's), summed on
// rank 0 (empty elsewhere). Collective.
nlohmann::json wire_facts(const RunContext& context, const comm::WireTraffic& wire);

}  // namespace hyperpush::app
