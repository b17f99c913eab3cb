#include "hyperpush/app/interruption.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

namespace hyperpush::app {
namespace {

struct State {
  std::mutex mutex;
  int rank = -1;
  bool ending = false;
  std::string out_dir, staging, position;
};

// Never destroyed: the watcher may read it while the process exits.
State& state() {
  static State* s = new State;
  return *s;
}

sigset_t interruption_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

[[noreturn]] void watch() {
  const sigset_t set = interruption_signals();
  int signal = 0;
  while (sigwait(&set, &signal) != 0) {
  }
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);  // held to the end: the run's state stays put
  // A signal after the run has ended (mpirun ends the other ranks of a job one of whose ranks
  // exited non-zero, also when every rank is on its way out) interrupts nothing: no line.
  if (s.rank <= 0 && !s.ending) {
    const std::string where = s.position.empty() ? "start-up" : s.position;
    std::fprintf(stderr, "hyperpush: interrupted (%s) at %s; nothing written%s%s\n",
                 signal == SIGINT ? "SIGINT" : "SIGTERM", where.c_str(),
                 s.out_dir.empty() ? "" : " to ", s.out_dir.c_str());
    std::fflush(stderr);
  }
  if (!s.staging.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(s.staging, ignored);
  }
  _exit(128 + signal);
}

}  // namespace

void watch_interruptions() {
  const sigset_t set = interruption_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(watch).detach();
}

void on_interruption_remove(const std::string& out_dir, const std::string& staging) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().out_dir = out_dir;
  state().staging = staging;
}

void note_rank(int rank) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().rank = rank;
}

void note_ending() {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().ending = true;
}

void note_position(const std::string& where) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().position = where;
}

}  // namespace hyperpush::app
