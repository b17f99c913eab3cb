#pragma once
// SIGINT and SIGTERM end a run with one line and nothing half-written. The two signals are blocked
// in every thread and taken by one watcher thread (sigwait), which runs in normal context: rank 0
// prints `hyperpush: interrupted at <where>; nothing written to OUT`, removes its staging folder
// (results.hpp) and the process ends with 128 + the signal's number. A process killed harder
// (SIGKILL) leaves its staging folder, which the next run into the same folder removes.
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
// The run has ended (results committed, or the error printed): a signal now ends the process
// without a line.
void note_ending();

}  // namespace hyperpush::app
