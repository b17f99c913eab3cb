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

}  // namespace

void on_all_ranks(MPI_Comm comm, const std::function<void()>& step) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::string message;
  int code = 0;
  try {
    step();
  } catch (const Error& e) {
    message = e.what();
    code = e.exit_code();
  }
  int failed = code == 0 ? INT32_MAX : rank, first_failed = 0;
  MPI_Allreduce(&failed, &first_failed, 1, MPI_INT, MPI_MIN, comm);
  if (first_failed == INT32_MAX) return;
  int header[2] = {static_cast<int>(message.size()), code};
  MPI_Bcast(header, 2, MPI_INT, first_failed, comm);
  message.resize(header[0]);
  MPI_Bcast(message.data(), header[0], MPI_CHAR, first_failed, comm);
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
  std::unique_ptr<graph::Schedule> schedule;
  graph::ScheduleAnalysis check;
  std::unique_ptr<ResultWriter> results;
  std::unique_ptr<Checkpoints> checkpoints;
  int agents = 0;
  on_all_ranks(comm, [&] {
    config = Config::load(config_path, overrides);
    agents = static_cast<int>(config->integer("agents"));
    if (agents == 0) agents = ranks;
    if (agents < ranks)  // a rank without an agent would only wait: a mistake in the job's size
      throw Error("agents = " + std::to_string(agents) + ", but the run has " +
                  std::to_string(ranks) + " ranks and every rank needs an agent; valid: 0 (one " +
                  "per rank) or at least " + std::to_string(ranks) + ", or run on fewer ranks");
    config->set_integer("agents", agents);
    pin_library_threads(static_cast<int>(config->integer("threads")));
    const auto seed = static_cast<std::uint64_t>(config->integer("seed"));
    schedule = std::make_unique<graph::Schedule>(topology_spec(*config), agents, seed);
    // Refuse a schedule push-sum cannot work on before any work is done.
    Progress progress(rank == 0 && config->boolean("output.progress"));
    graph::AnalysisOptions options;
    options.progress = [&](std::int64_t done, std::int64_t total) {
      progress.update("schedule check", done, total, "steps (rounds, then windows)");
    };
    check =
        graph::analyze_schedule(*schedule, 0, config->integer("topology.check_rounds"), options);
    graph::require_b_strongly_connected(check);
    const std::string out = out_dir.empty() ? config->string("output.dir") : out_dir;
    checkpoints = std::make_unique<Checkpoints>(*config, out, comm, comm::AgentMap(agents, ranks));
    const bool checkpointed = find_task(config->string("task")).checkpoint_step != nullptr;
    if (checkpoints->enabled() && !checkpointed)
      throw Error("checkpoint.every: task '" + config->string("task") +
                  "' takes no checkpoints; valid: 0, or a task that does (" +
                  checkpointing_tasks() + ")");
    if (resume && !checkpointed)
      throw Error("--resume: task '" + config->string("task") +
                  "' takes no checkpoints, so there is nothing to resume (" +
                  checkpointing_tasks() + " take them)");
    if (checkpoints->enabled()) preempt_on_signals();
    if (rank == 0) {
      results = std::make_unique<ResultWriter>(out);
      on_interruption_remove(results->dir(), results->staging());
    }
  });

  Progress progress(rank == 0 && config->boolean("output.progress"));
  RunContext context{*config, comm,          rank,     ranks,        agents, *schedule,
                     check,   results.get(), progress, *checkpoints, resume};
  find_task(config->string("task")).run(context);
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
