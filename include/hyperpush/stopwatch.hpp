#pragma once
// Wall time for timings.json, progress and the straggler hook: one steady clock everywhere.
#include <chrono>

namespace hyperpush {

using Clock = std::chrono::steady_clock;

// Seconds from `start` to now.
inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace hyperpush
