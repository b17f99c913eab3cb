// Fuzz target: read_idx on an image file and a label file cut from one input: its first byte says
// how many of the last bytes are the label file (the seeds' label files are 8 + a few bytes). A
// hyperpush::Error is the reader refusing the input; anything else is a bug.
#include "hyperpush/data/idx.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "hyperpush/error.hpp"
#include "memory_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static hyperpush::fuzz::MemoryFile images("images.idx");
  static hyperpush::fuzz::MemoryFile labels("labels.idx");
  if (size == 0) return 0;
  const std::size_t label_bytes = std::min<std::size_t>(data[0], size - 1);
  const std::size_t image_bytes = size - 1 - label_bytes;
  try {
    hyperpush::data::read_idx(images.hold(data + 1, image_bytes),
                              labels.hold(data + 1 + image_bytes, label_bytes));
  } catch (const hyperpush::Error&) {
  }
  return 0;
}
