#pragma once
// SIGINT, SIGTERM and SIGUSR1 end a run with one line and nothing half-written. A handler wakes
// one watcher thread (through a pipe; our other threads block the signals, a library's thread may
// not), which runs in normal context: rank 0 prints `hyperpush: interrupted at <where>; nothing
// written to OUT`, removes its staging folder (results.hpp) and the process ends with 128 + the
// signal's number. A process killed harder (SIGKILL) leaves its staging folder, which the next run
// into the same folder removes.
// With preemption on (checkpoints, checkpoint.hpp), SIGTERM and SIGUSR1 only raise a flag: the
// task checkpoints at its next step boundary and ends with exit code 3.
#include <string>

namespace hyperpush::app {

// Call first in main, before MPI or any library starts a thread: threads inherit the blocked set.
void watch_interruptions();
// What the watcher cleans up: rank 0's result folder and its staging folder.
void on_interruption_remove(const std::string& out_dir, const std::string& staging);
// This process's MPI rank (only rank 0 prints the line); before it is known every process prints.
void note_rank(int rank);
// Where the run is ("hgp 3/20 steps"), for the line (Progress::update sets it).
void note_position(const std::string& where);
// SIGTERM and SIGUSR1 request a preemption instead of interrupting.
void preempt_on_signals();
// Whether this process received a preemption request.
bool preemption_signalled();
// The run has ended (results committed, or the error printed): a signal now ends the process
// without a line.
void note_ending();

}  // namespace hyperpush::app
