// `hyperpush run`: set-up every rank agrees on, the task, then the results moved into place.
#include <mpi.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <optional>

#include "hyperpush/app/commands.hpp"
#include "hyperpush/app/interruption.hpp"
#include "hyperpush/app/library_threads.hpp"
#include "hyperpush/app/task.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::app {
namespace {

const TaskKind& find_task(const std::string& name) {
  for (const auto& kind : task_kinds())
    if (name == kind.name) return kind;
  throw Error("task: unknown task '" + name + "'");  // the config table lists the valid ones
}

// The analysis of rounds [0, topology.check_rounds); refuses a schedule push-sum cannot work on,
// before any work is done.
graph::ScheduleAnalysis checked_schedule(graph::Schedule& schedule, const Settings& settings,
                                         int rank) {
  Progress progress(rank == 0 && settings.output.progress);
  graph::AnalysisOptions options;
  options.progress = [&](std::int64_t done, std::int64_t total) {
    progress.update("schedule check", done, total, "steps (rounds, then windows)");
  };
  auto check = graph::analyze_schedule(schedule, 0, settings.topology.check_rounds, options);
  graph::require_b_strongly_connected(check);
  return check;
}

// checkpoint.every and --resume need a task that takes checkpoints; with them on, SIGTERM and
// SIGUSR1 checkpoint and end the run.
void check_checkpointing(const Checkpoints& checkpoints, const std::string& task, bool resume) {
  const bool checkpointed = find_task(task).checkpoint_step != nullptr;
  if (checkpoints.enabled() && !checkpointed)
    throw Error("checkpoint.every: task '" + task +
                "' takes no checkpoints; valid: 0, or a task that does (" + checkpointing_tasks() +
                ")");
  if (resume && !checkpointed)
    throw Error("--resume: task '" + task +
                "' takes no checkpoints, so there is nothing to resume (" + checkpointing_tasks() +
                " take them)");
  if (checkpoints.enabled()) preempt_on_signals();
}

// consensus.mode = async: a task that runs it, and nothing that needs every round's messages.
void check_consensus_mode(const Settings& settings, const Checkpoints& checkpoints, bool resume) {
  if (settings.exchange.mode != comm::ConsensusMode::async) return;
  const auto refuse = [](const std::string& why) {
    throw Error("consensus.mode = \"async\": " + why + "; valid: sync");
  };
  if (!find_task(settings.task).asynchronous)
    refuse("task '" + settings.task + "' runs synchronous rounds only (async: task average)");
  if (checkpoints.enabled() || resume)
    refuse(
        "an asynchronous run has no round all ranks pass together, so no checkpoints "
        "(checkpoint.every = 0, no --resume)");
  if (settings.exchange.robust) refuse("consensus.robust keeps running sums per round's message");
  if (settings.exchange.compress.enabled())
    refuse("consensus.compress keeps per-edge references that every message must update in turn");
  if (settings.exchange.drop > 0)
    refuse("faults.drop loses a round's messages, and async has none");
}

}  // namespace

int agents_of_run(int configured, int ranks) {
  const int agents = configured == 0 ? ranks : configured;
  if (agents < ranks)  // a rank without an agent would only wait: a mistake in the job's size
    throw Error("agents = " + std::to_string(agents) + ", but the run has " +
                std::to_string(ranks) + " ranks and every rank needs an agent; valid: 0 (one " +
                "per rank) or at least " + std::to_string(ranks) + ", or run on fewer ranks");
  return agents;
}

void on_all_ranks(MPI_Comm comm, const std::function<void()>& step) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::string message;
  int code = 0;
  bool config_error = false;
  try {
    step();
  } catch (const Error& e) {
    message = e.what();
    code = e.exit_code();
    config_error = dynamic_cast<const ConfigError*>(&e) != nullptr;
  }
  int failed = code == 0 ? INT32_MAX : rank, first_failed = 0;
  MPI_Allreduce(&failed, &first_failed, 1, MPI_INT, MPI_MIN, comm);
  if (first_failed == INT32_MAX) return;
  int header[3] = {static_cast<int>(message.size()), code, config_error ? 1 : 0};
  MPI_Bcast(header, 3, MPI_INT, first_failed, comm);
  message.resize(header[0]);
  MPI_Bcast(message.data(), header[0], MPI_CHAR, first_failed, comm);
  if (header[2] != 0) throw ConfigError(message, true);
  throw Error(message, header[1], true);
}

int run_command(const std::string& config_path, const std::vector<std::string>& overrides,
                const std::string& out_dir, bool resume) {
  MPI_Comm comm = MPI_COMM_WORLD;
  int rank = 0, ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);
  note_rank(rank);

  std::optional<Config> config;
  Settings settings;
  std::unique_ptr<graph::Schedule> schedule;
  graph::ScheduleAnalysis check;
  std::unique_ptr<ResultWriter> results;
  std::unique_ptr<Checkpoints> checkpoints;
  on_all_ranks(comm, [&] {
    config = Config::load(config_path, overrides);
    settings = read_settings(*config);
    settings.agents = agents_of_run(settings.agents, ranks);
    config->set_integer("agents", settings.agents);  // config.resolved.toml and checkpoints
    pin_library_threads(settings.threads);
    schedule = std::make_unique<graph::Schedule>(settings.topology, settings.agents, settings.seed);
    check = checked_schedule(*schedule, settings, rank);
    const std::string out = out_dir.empty() ? settings.output.dir : out_dir;
    checkpoints = std::make_unique<Checkpoints>(*config, settings, out, comm,
                                                comm::AgentMap(settings.agents, ranks));
    check_checkpointing(*checkpoints, settings.task, resume);
    check_consensus_mode(settings, *checkpoints, resume);
    if (rank == 0) {
      results = std::make_unique<ResultWriter>(out);
      on_interruption_remove(results->dir(), results->staging());
    }
  });

  Progress progress(rank == 0 && settings.output.progress);
  RunContext context{settings, comm,          rank,     ranks,        settings.agents, *schedule,
                     check,    results.get(), progress, *checkpoints, resume};
  find_task(settings.task).run(context);
  if (rank == 0) {
    results->write("config.resolved.toml", config->to_toml());
    const std::string files = results->file_list();
    note_ending();  // from here a signal cannot make "nothing written" true
    results->commit();
    std::printf("results: %s/ (%s)\n", results->dir().c_str(), files.c_str());
  }
  checkpoints->remove();
  return 0;
}

}  // namespace hyperpush::app
