// Fuzz target: read_sklearn_csv on any bytes (plain or gzip). A hyperpush::Error is the reader
// refusing the input, as it should; anything else (another exception, a sanitizer report) is a bug.
#include "hyperpush/data/sklearn_csv.hpp"

#include <cstddef>
#include <cstdint>

#include "hyperpush/error.hpp"
#include "memory_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static hyperpush::fuzz::MemoryFile file("data.csv");
  try {
    hyperpush::data::read_sklearn_csv(file.hold(data, size));
  } catch (const hyperpush::Error&) {
  }
  return 0;
}
