#pragma once
// Errors a user can act on. The CLI prints what() as one line on stderr ("hyperpush: error: ...")
// and exits with exit_code():
//   2  bad input: a config, data file or schedule that cannot work (Error)
//   3  preempted: a checkpoint was written at a step boundary (app/checkpoint.hpp, Preempted)
//   5  a run that diverged or failed to converge where convergence was required (Divergence)
// A collective error was raised by every rank together with the same message (every rank exits
// cleanly, rank 0 prints it); any other error under several ranks ends the job with MPI_Abort.
#include <stdexcept>
#include <string>

namespace hyperpush {

enum ExitCode : int { kExitBadInput = 2, kExitPreempted = 3, kExitDeadPeer = 4, kExitDiverged = 5 };

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what, int exit_code = kExitBadInput, bool collective = false)
      : std::runtime_error(what), exit_code_(exit_code), collective_(collective) {}
  int exit_code() const { return exit_code_; }
  bool collective() const { return collective_; }

 private:
  int exit_code_;
  bool collective_;
};

// A config that cannot work: its file, a key or a value (exit code 2, like any bad input; the
// Python module raises hyperpush.ConfigError for it and hyperpush.DataError for other bad input).
class ConfigError : public Error {
 public:
  explicit ConfigError(const std::string& what, bool collective = false)
      : Error(what, kExitBadInput, collective) {}
};

// Divergence, non-finite values or a required convergence not reached. Raised collectively: the
// checks that raise it decide on figures every rank holds (reduced over ranks).
class Divergence : public Error {
 public:
  explicit Divergence(const std::string& what) : Error(what, kExitDiverged, true) {}
};

}  // namespace hyperpush
