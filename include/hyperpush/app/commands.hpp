#pragma once
// The verbs of the `hyperpush` executable. Each returns the process exit code; user errors surface
// as hyperpush::Error (exit code 2 in main).
#include <mpi.h>

#include <functional>
#include <string>
#include <vector>

#include "hyperpush/app/config.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/graph/topology.hpp"

namespace hyperpush::app {

// Runs `step` on every rank; if it throws hyperpush::Error on any rank, every rank throws the
// message and exit code of the lowest failing rank as a collective Error (so all exit cleanly and
// rank 0 prints it once). Collective: for set-up steps, never inside a round.
void on_all_ranks(MPI_Comm comm, const std::function<void()>& step);

// The agents of a run of `ranks` ranks: the config's count, or one per rank for 0; refuses fewer
// agents than ranks (hyperpush::Error).
int agents_of_run(int configured, int ranks);

// `hyperpush run CONFIG [--set key=value]... [--out DIR] [--resume]` (under mpirun or alone).
int run_command(const std::string& config_path, const std::vector<std::string>& overrides,
                const std::string& out_dir, bool resume = false);

struct TopologyOptions {
  std::string rounds;     // "T0:T1"; empty = [0, topology.check_rounds)
  std::string dot_round;  // write G(round) as Graphviz DOT to dot_file
  std::string dot_file;
  std::string export_file;  // write the rounds in the `file` schedule format
};

// `hyperpush topology CONFIG [--set ...] [--rounds T0:T1] [--dot ROUND FILE] [--export FILE]`:
// prints the schedule analysis as JSON on stdout.
int topology_command(const std::string& config_path, const std::vector<std::string>& overrides,
                     const TopologyOptions& options);

}  // namespace hyperpush::app
