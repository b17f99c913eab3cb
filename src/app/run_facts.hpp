#pragma once
// The facts of the machine a run ran on, for its timings.json (never summary.json: they differ
// between machines and rank counts while the results must not).
#include <nlohmann/json.hpp>

#include "hyperpush/app/task.hpp"

namespace hyperpush::app {

// {"ranks", "host", "threads": {"requested", "blas", "blas_threads", "openmp_threads"}}; an
// unknown thread count (no such library loaded) is null.
nlohmann::json run_facts(const RunContext& context);

}  // namespace hyperpush::app
