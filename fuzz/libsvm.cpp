// Fuzz target: read_libsvm on any bytes (plain or gzip), first with a feature count, then, when
// the file's indices fit it, with the count taken from the file. Without the bound one line
// "1 300000000:1" asks for 2.4 GB of dense doubles, which is legal and only slow. A
// hyperpush::Error is the reader refusing the input; anything else is a bug.
#include "hyperpush/data/libsvm.hpp"

#include <cstddef>
#include <cstdint>

#include "hyperpush/error.hpp"
#include "memory_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static hyperpush::fuzz::MemoryFile file("data.libsvm");
  constexpr std::size_t kFeatures = 4096;
  const std::string& path = file.hold(data, size);
  try {
    hyperpush::data::read_libsvm(path, kFeatures);
    hyperpush::data::read_libsvm(path);
  } catch (const hyperpush::Error&) {
  }
  return 0;
}
