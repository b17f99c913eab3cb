#include "hyperpush/app/task.hpp"

namespace hyperpush::app {

const std::vector<TaskKind>& task_kinds() {
  static const std::vector<TaskKind> kinds = {
      {"average", "push-sum averaging of per-agent random vectors", run_average},
  };
  return kinds;
}

}  // namespace hyperpush::app
