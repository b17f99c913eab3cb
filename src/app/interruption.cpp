#include "hyperpush/app/interruption.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
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
  std::atomic<bool> preemptible{false}, preempt{false};
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
  sigaddset(&set, SIGUSR1);
  return set;
}

const char* signal_name(int signal) {
  return signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "SIGUSR1";
}

// The handler runs in whichever thread the kernel picks (a library's thread may leave the signals
// unblocked), so it only does what is async-signal-safe: raise the preemption flag, or wake the
// watcher through a pipe.
int wake[2] = {-1, -1};

extern "C" void on_signal(int signal) {
  State& s = state();
  if (signal != SIGINT && s.preemptible.load()) {
    s.preempt.store(true);  // the task checkpoints at its next step boundary
    return;
  }
  const unsigned char byte = static_cast<unsigned char>(signal);
  const int saved = errno;
  while (write(wake[1], &byte, 1) < 0 && errno == EINTR) {
  }
  errno = saved;
}

[[noreturn]] void watch() {
  // The one thread of ours that takes the signals (the others block them).
  const sigset_t set = interruption_signals();
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  State& s = state();
  unsigned char byte = 0;
  while (read(wake[0], &byte, 1) != 1) {
  }
  const int signal = byte;
  std::lock_guard<std::mutex> lock(s.mutex);  // held to the end: the run's state stays put
  // A signal after the run has ended (mpirun ends the other ranks of a job one of whose ranks
  // exited non-zero, also when every rank is on its way out) interrupts nothing: no line.
  if (s.rank <= 0 && !s.ending) {
    const std::string where = s.position.empty() ? "start-up" : s.position;
    std::fprintf(stderr, "hyperpush: interrupted (%s) at %s; nothing written%s%s\n",
                 signal_name(signal), where.c_str(), s.out_dir.empty() ? "" : " to ",
                 s.out_dir.c_str());
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
  state();                                  // built before a handler can run
  if (pipe2(wake, O_CLOEXEC) != 0) return;  // no watcher: the signals keep their default action
  const sigset_t set = interruption_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  struct sigaction action {};
  action.sa_handler = on_signal;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGINT, SIGTERM, SIGUSR1}) sigaction(signal, &action, nullptr);
  std::thread(watch).detach();
}

void on_interruption_remove(const std::string& out_dir, const std::string& staging) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().out_dir = out_dir;
  state().staging = staging;
}

void preempt_on_signals() { state().preemptible = true; }

bool preemption_signalled() { return state().preempt.load(); }

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
