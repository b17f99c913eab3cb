#pragma once
// Progress lines on stderr from rank 0, at most one a second (plus the last), so long runs show
// life without flooding a SLURM log.
#include <chrono>
#include <cstdint>
#include <string>

namespace hyperpush::app {

class Progress {
 public:
  explicit Progress(bool enabled);
  // Prints "<what>: <done>/<total> <detail>" when a second has passed since the last line, or when
  // done == total.
  void update(const std::string& what, std::int64_t done, std::int64_t total,
              const std::string& detail = "");

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace hyperpush::app
