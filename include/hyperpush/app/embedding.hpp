#pragma once
// The CLI's verbs as functions that return what they would print or write, for the Python module
// (python/): `import hyperpush` under mpirun. MPI must be initialised; each function is collective
// over MPI_COMM_WORLD and returns the same on every rank. Errors are hyperpush::Error, raised on
// every rank together (ConfigError for the config itself).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hyperpush::app {

// `hyperpush run CONFIG --set ... --out OUT`: the result files by name (summary.json,
// metrics.jsonl, ...), as written. An empty `out` runs into a temporary folder, removed after.
std::map<std::string, std::string> run_files(const std::string& config_path,
                                             const std::vector<std::string>& overrides,
                                             const std::string& out);

// `hyperpush topology CONFIG --set ... [--rounds T0:T1]`: the analysis as JSON text.
std::string topology_json(const std::string& config_path, const std::vector<std::string>& overrides,
                          const std::string& rounds);

// The config's schedule as push-sum mixes by it: per round t ∈ [t0, t1) the column-stochastic
// n × n matrix P(t), row-major, P_ji = 1/|O_i(t)| for each edge i → j (self-loops included).
std::vector<std::vector<double>> mixing_matrices(const std::string& config_path,
                                                 const std::vector<std::string>& overrides,
                                                 std::int64_t t0, std::int64_t t1);

// Push-sum averaging of the rows of `values` (n agents × d, row-major, the same on every rank)
// over `rounds` rounds of the config's schedule, each rank mixing its own agents through the
// run's exchange (comm.* and faults.* apply): every agent's estimate w_i/ω_i, n × d.
std::vector<double> push_sum_rows(const std::string& config_path,
                                  const std::vector<std::string>& overrides,
                                  const std::vector<double>& values, int d, std::int64_t rounds);

}  // namespace hyperpush::app
