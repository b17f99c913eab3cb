// Fuzz target: read_schedule_file on any bytes. A hyperpush::Error is the reader refusing the
// input, as it should; anything else (another exception, a sanitizer report) is a bug.
#include "hyperpush/graph/schedule_file.hpp"

#include <cstddef>
#include <cstdint>

#include "hyperpush/error.hpp"
#include "memory_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static hyperpush::fuzz::MemoryFile file("schedule.txt");
  try {
    hyperpush::graph::read_schedule_file(file.hold(data, size));
  } catch (const hyperpush::Error&) {
  }
  return 0;
}
