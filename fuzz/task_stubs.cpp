// The tasks the config table names (app/tasks.cpp), never run by the config fuzz target: linking
// the real ones would build the whole program.
#include "hyperpush/app/task.hpp"

namespace hyperpush::app {

void run_average(RunContext&) {}
void run_hypergradient(RunContext&) {}
void run_hpo(RunContext&) {}
void run_tree(RunContext&) {}
void run_explain(RunContext&) {}
void run_influence(RunContext&) {}

}  // namespace hyperpush::app
