// The `hyperpush` executable: run a task under MPI, analyse a schedule, print the config reference.
#include <mpi.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "hyperpush/app/commands.hpp"
#include "hyperpush/app/config.hpp"
#include "hyperpush/app/interruption.hpp"
#include "hyperpush/app/library_threads.hpp"
#include "hyperpush/error.hpp"

namespace {

int mpi_rank() {
  int initialized = 0, rank = 0;
  MPI_Initialized(&initialized);
  if (initialized) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

int mpi_size() {
  int initialized = 0, size = 1;
  MPI_Initialized(&initialized);
  if (initialized) MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

// The message on one line whatever it quotes (a key or --set value may hold a newline): control
// characters as \xNN.
std::string one_line(const char* what) {
  std::string out;
  for (const char* c = what; *c != '\0'; ++c) {
    const auto byte = static_cast<unsigned char>(*c);
    if (byte >= 0x20 && byte != 0x7f) {
      out += *c;
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    }
  }
  return out;
}

// Ends the process after a failure: cleanly when every rank failed together, else the whole job.
int fail(const char* what, bool collective, int code) {
  hyperpush::app::note_ending();
  // A preemption is not an error: "hyperpush: preempted at step N, checkpoint in DIR".
  if (!collective || mpi_rank() == 0)
    std::fprintf(stderr, "hyperpush: %s%s\n",
                 code == hyperpush::kExitPreempted ? "" : "error: ", one_line(what).c_str());
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized && !finalized) {
    if (!collective && mpi_size() > 1) MPI_Abort(MPI_COMM_WORLD, code);
    MPI_Finalize();
  }
  return code;
}

// The verbs and their options.
struct CommandLine {
  CLI::App app{"hyperpush: decentralized bilevel optimization over time-varying directed graphs"};
  std::string config_path, out_dir, results_dir, plot_file;
  std::vector<std::string> overrides;
  bool resume = false;
  hyperpush::app::TopologyOptions topology_options;
  CLI::App* run = nullptr;
  CLI::App* topology = nullptr;
  CLI::App* plot = nullptr;

  CommandLine() {
    app.set_version_flag("--version", std::string("hyperpush ") + HYPERPUSH_VERSION);
    app.require_subcommand(1);
    run = app.add_subcommand("run", "Run the task of a config (under mpirun, or alone)");
    run->add_option("config", config_path, "TOML config file")->required();
    run->add_option("--set", overrides, "Override a config key: --set key=value (repeatable)");
    run->add_option("--out", out_dir, "Results folder (overrides output.dir)");
    run->add_flag("--resume", resume,
                  "Continue from the newest checkpoint in checkpoint.dir (same config, any ranks)");

    auto& topo = topology_options;
    topology = app.add_subcommand(
        "topology", "Analyse a config's schedule (JSON on stdout); export rounds or draw one");
    topology->add_option("config", config_path, "TOML config file")->required();
    topology->add_option("--set", overrides, "Override a config key: --set key=value (repeatable)");
    topology->add_option("--rounds", topo.rounds, "Rounds T0:T1 (default 0:topology.check_rounds)");
    topology->add_option("--dot", topo.dot_file, "Write one round as Graphviz DOT to this file");
    topology->add_option("--dot-round", topo.dot_round, "Round drawn by --dot (default T0)");
    topology->add_option("--export", topo.export_file,
                         "Write the rounds in the edge-list schedule format (kind = \"file\")");

    plot =
        app.add_subcommand("plot", "Draw a results folder (matplotlib; python3 -m hyperpush.plot)");
    plot->add_option("results", results_dir, "A run's results folder")->required();
    plot->add_option("--out", plot_file, "The PNG to write (default RESULTS/plot.png)");

    app.add_subcommand("config-reference",
                       "Print the config key and topology reference (Markdown)");
  }

  // Parses argv; the exit code when the process ends here (--help, --version, a usage error), or
  // -1 to go on.
  int parse(int argc, char** argv) {
    const std::string verbs[] = {"run", "topology", "plot", "config-reference"};
    if (argc > 1 && argv[1][0] != '-' &&
        std::find(std::begin(verbs), std::end(verbs), argv[1]) == std::end(verbs)) {
      std::fprintf(stderr,
                   "hyperpush: error: unknown command '%s'; valid: run, topology, plot, "
                   "config-reference (hyperpush --help)\n",
                   argv[1]);
      return 2;
    }
    try {
      app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help, --version
      return app.exit(e);
    } catch (const CLI::ParseError& e) {
      std::fprintf(stderr, "hyperpush: error: %s (hyperpush %s--help)\n", e.what(),
                   run->parsed()        ? "run "
                   : topology->parsed() ? "topology "
                                        : "");
      return 2;
    }
    if (run->count("--out") > 0 && out_dir.empty()) {
      std::fprintf(stderr, "hyperpush: error: --out \"\": the folder name is empty\n");
      return 2;
    }
    return -1;
  }
};

// `hyperpush plot RESULTS [--out FILE]`: Debian's Python runs the module's plot command
// (python/hyperpush/plot.py), found where this build put it. Returns only when it cannot start.
int plot_command(const std::string& results, const std::string& out) {
#ifdef HYPERPUSH_PYTHON_DIR
  const char* old = std::getenv("PYTHONPATH");
  const std::string path =
      std::string(HYPERPUSH_PYTHON_DIR) + (old && *old ? std::string(":") + old : "");
  setenv("PYTHONPATH", path.c_str(), 1);
  std::vector<const char*> args = {"python3", "-m", "hyperpush.plot", results.c_str()};
  if (!out.empty()) args.insert(args.end(), {"--out", out.c_str()});
  args.push_back(nullptr);
  execv("/usr/bin/python3", const_cast<char* const*>(args.data()));
  std::fprintf(stderr, "hyperpush: error: plot: cannot run /usr/bin/python3 (%s)\n",
               std::strerror(errno));
#else
  (void)results;
  (void)out;
  std::fprintf(stderr,
               "hyperpush: error: plot: this build has no Python module (install pybind11-dev "
               "and python3-dev, then build again: scripts/install-deps.sh)\n");
#endif
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any BLAS call: one thread per library, so that sums do not depend on the machine
  // (library_threads.hpp); a run's `threads` key may raise it.
  hyperpush::app::pin_library_threads(1);
  hyperpush::app::watch_interruptions();
  CommandLine cli;
  if (const int code = cli.parse(argc, argv); code >= 0) return code;
  try {
    if (cli.run->parsed()) {
      MPI_Init(&argc, &argv);
      const int code =
          hyperpush::app::run_command(cli.config_path, cli.overrides, cli.out_dir, cli.resume);
      hyperpush::app::note_ending();
      MPI_Finalize();
      return code;
    }
    if (cli.plot->parsed()) return plot_command(cli.results_dir, cli.plot_file);
    if (cli.topology->parsed())
      return hyperpush::app::topology_command(cli.config_path, cli.overrides, cli.topology_options);
    std::fputs(hyperpush::app::config_reference_markdown().c_str(), stdout);
    std::fputs("\nTopology kinds (`topology.kind`):\n\n", stdout);
    std::fputs(hyperpush::app::topology_reference_markdown().c_str(), stdout);
    return 0;
  } catch (const hyperpush::Error& e) {
    return fail(e.what(), e.collective(), e.exit_code());
  } catch (const std::exception& e) {
    return fail((std::string("internal error: ") + e.what()).c_str(), false, 1);
  }
}
