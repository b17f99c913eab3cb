#include "hyperpush/app/progress.hpp"

#include <cstdio>

#include "hyperpush/app/interruption.hpp"

namespace hyperpush::app {

Progress::Progress(bool enabled) : enabled_(enabled), last_(std::chrono::steady_clock::now()) {}

void Progress::update(const std::string& what, std::int64_t done, std::int64_t total,
                      const std::string& detail) {
  note_position(what + " " + std::to_string(done) + "/" + std::to_string(total) +
                (detail.empty() ? "" : " " + detail.substr(0, detail.find(','))));
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done != total && now - last_ < std::chrono::seconds(1)) return;
  last_ = now;
  std::fprintf(stderr, "%s: %lld/%lld%s%s\n", what.c_str(), static_cast<long long>(done),
               static_cast<long long>(total), detail.empty() ? "" : " ", detail.c_str());
  std::fflush(stderr);
}

}  // namespace hyperpush::app
