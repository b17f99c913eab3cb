#pragma once
// A task is what `hyperpush run` does between set-up (config, schedule check, output folder) and
// commit: `average` today, the bilevel and local tasks later. Adding one is a file and a line in
// task_kinds().
#include <mpi.h>

#include <string>
#include <vector>

#include "hyperpush/app/checkpoint.hpp"
#include "hyperpush/app/progress.hpp"
#include "hyperpush/app/results.hpp"
#include "hyperpush/app/settings.hpp"
#include "hyperpush/comm/exchange.hpp"
#include "hyperpush/comm/mpi_communicator.hpp"
#include "hyperpush/graph/analysis.hpp"
#include "hyperpush/graph/schedule.hpp"

namespace hyperpush::app {

struct RunContext {
  const Settings& settings;  // the config, read typed
  MPI_Comm comm;
  int rank;
  int ranks;
  int agents;
  graph::Schedule& schedule;
  const graph::ScheduleAnalysis& schedule_check;  // over [0, topology.check_rounds)
  ResultWriter* results;                          // rank 0 only; null elsewhere
  Progress& progress;                             // prints on rank 0 only
  const Checkpoints& checkpoints;
  bool resume;  // continue from the newest checkpoint (--resume)
};

// The run's communication deadline, robust mixing and fault hooks (comm.timeout,
// consensus.robust, faults.*), for every exchange a task creates.
comm::ExchangeOptions exchange_options(const RunContext& context);
// The run's ranks (context.comm) as the layers below the app take them.
inline comm::Communicator communicator(const RunContext& context) {
  return comm::from_mpi(context.comm);
}

using TaskFn = void (*)(RunContext& context);

struct TaskKind {
  const char* name;
  const char* doc;
  TaskFn run;
  const char*
      checkpoint_step;        // what checkpoint.every counts ("rounds", ...); null: no checkpoints
  bool asynchronous = false;  // runs consensus.mode = async
};

const std::vector<TaskKind>& task_kinds();
// "a, b, c": the tasks that take checkpoints, for messages.
std::string checkpointing_tasks();

// Task `average`: push-sum averaging of per-agent random vectors (src/app/average_task.cpp).
void run_average(RunContext& context);
// Task `hypergradient`: one hyper-gradient per agent against the exact formula.
void run_hypergradient(RunContext& context);
// Task `hpo`: decentralized hyperparameter optimization (outer loop).
void run_hpo(RunContext& context);
// Task `tree`: a decision tree, and the stable tree's sensitivity grid (src/app/tree_task.cpp).
void run_tree(RunContext& context);
// Task `explain`: similarity-based explanation of a softmax regression and its three tests
// (src/app/explain_task.cpp).
void run_explain(RunContext& context);
// Decentralized influence estimation and its validation by removal (influence_task.cpp).
void run_influence(RunContext& context);

}  // namespace hyperpush::app
