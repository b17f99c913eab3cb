#include "hyperpush/data/idx.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <vector>

#include "gz_file.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::data {
namespace {

constexpr std::uint32_t kImageMagic = 0x00000803;  // type 0x08 (unsigned byte), 3 dimensions
constexpr std::uint32_t kLabelMagic = 0x00000801;  // type 0x08 (unsigned byte), 1 dimension

std::string hex32(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", static_cast<unsigned>(value));
  return text;
}

std::string at_byte(const std::string& path, std::uint64_t offset) {
  return path + ": byte " + std::to_string(offset) + ": ";
}

std::uint32_t big_endian32(const unsigned char* bytes) {
  return std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 |
         std::uint32_t{bytes[2]} << 8 | std::uint32_t{bytes[3]};
}

// The header's dimensions, after checking its magic number: 4 bytes each, big-endian.
template <std::size_t kDims>
std::array<std::uint32_t, kDims> read_header(detail::GzFile& file, std::uint32_t magic,
                                             const std::string& expected) {
  std::array<unsigned char, 4 * (1 + kDims)> bytes{};
  const std::size_t got = file.read(bytes.data(), bytes.size());
  if (got == 0) throw Error(at_byte(file.path(), 0) + "file is empty; expected " + expected);
  if (got >= 4 && big_endian32(bytes.data()) != magic)
    throw Error(at_byte(file.path(), 0) + "magic number " + hex32(big_endian32(bytes.data())) +
                " is not " + hex32(magic) + "; expected " + expected);
  if (got < bytes.size())
    throw Error(at_byte(file.path(), got) + "file ends inside the " + std::to_string(bytes.size()) +
                "-byte header; expected " + expected);
  std::array<std::uint32_t, kDims> dims{};
  for (std::size_t i = 0; i < kDims; ++i) dims[i] = big_endian32(bytes.data() + 4 * (i + 1));
  return dims;
}

// "the file ends after `got` of the `size` body bytes", at the byte where it ends.
Error ends_early(const std::string& path, std::uint64_t header_size, std::uint64_t got,
                 std::uint64_t size, const std::string& what, const std::string& declared) {
  return Error(at_byte(path, header_size + got) + "file ends after " + std::to_string(got) +
               " of the " + std::to_string(size) + " " + what + " bytes; the header declares " +
               declared);
}

// Refuses, before anything is allocated, a header declaring more bytes than the file can hold:
// a plain file its size, a gzip file 1032 times it (a 30-byte header may claim terabytes).
void check_size(const detail::GzFile& file, std::uint64_t header_size, std::uint64_t size,
                const std::string& what, const std::string& declared) {
  const std::uint64_t most = file.max_bytes();
  if (size <= most - std::min(most, header_size)) return;
  if (!file.compressed())
    throw ends_early(file.path(), header_size, most - header_size, size, what, declared);
  throw Error(at_byte(file.path(), 4) + "the header declares " + declared + " (" +
              std::to_string(size) + " " + what + " bytes), more than this " +
              std::to_string(file.stored_bytes()) +
              "-byte gzip file can hold (at most 1032 bytes per compressed byte); expected a "
              "header that matches the data");
}

// Streams exactly `size` bytes after the header of `header_size` bytes to `consume(bytes, count)`
// in chunks, or throws an Error naming what the header declared (`declared`) and where the file
// ends or runs on. Converting chunk by chunk, never holding all the bytes, keeps Fashion-MNIST's
// 47 MB of pixels in cache on the way to the 376 MB of doubles.
template <class Consume>
void read_body(detail::GzFile& file, std::uint64_t header_size, std::uint64_t size,
               const std::string& what, const std::string& declared, Consume consume) {
  std::vector<unsigned char> chunk(
      static_cast<std::size_t>(std::clamp<std::uint64_t>(size, 1, 1 << 20)));
  for (std::uint64_t done = 0; done < size;) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(size - done, chunk.size()));
    const std::size_t got = file.read(chunk.data(), want);
    if (got < want) throw ends_early(file.path(), header_size, done + got, size, what, declared);
    consume(chunk.data(), got);
    done += got;
  }
  unsigned char extra = 0;
  if (file.read(&extra, 1) != 0)
    throw Error(at_byte(file.path(), header_size + size) + "data goes on after the " +
                std::to_string(size) + " " + what + " bytes; the header declares " + declared);
}

}  // namespace

Dataset read_idx(const std::string& images_path, const std::string& labels_path) {
  detail::GzFile images(images_path);
  detail::GzFile labels(labels_path);
  const auto [count, height, width] =
      read_header<3>(images, kImageMagic, "an IDX image file (unsigned bytes, 3 dimensions)");
  const auto [label_count] =
      read_header<1>(labels, kLabelMagic, "an IDX label file (unsigned bytes, 1 dimension)");

  // Cheap checks on the headers before decompressing the pixels.
  if (count == 0)
    throw Error(at_byte(images_path, 4) + "the header declares 0 images; expected at least one");
  if (height == 0 || width == 0)
    throw Error(at_byte(images_path, 8) + "the header declares images of " +
                std::to_string(height) + "x" + std::to_string(width) +
                " pixels; expected at least 1x1");
  if (label_count != count)
    throw Error(at_byte(labels_path, 4) + "the header declares " + std::to_string(label_count) +
                " labels, but " + images_path + " declares " + std::to_string(count) +
                " images; expected one label per image");

  const std::string shape =
      std::to_string(count) + " images of " + std::to_string(height) + "x" + std::to_string(width);
  // Three 32-bit factors: the product fits in 64 bits only when checked.
  const std::uint64_t pixels_per_image = std::uint64_t{height} * width;
  if (count > std::numeric_limits<std::size_t>::max() / sizeof(double) / pixels_per_image)
    throw Error(at_byte(images_path, 4) + "the header declares " + shape +
                ", more than memory can hold; expected a smaller file");
  const std::uint64_t pixel_count = count * pixels_per_image;
  const std::string label_shape = std::to_string(count) + " labels";
  check_size(images, 16, pixel_count, "pixel", shape);
  check_size(labels, 8, count, "label", label_shape);

  Dataset data;
  data.source = images_path + " and " + labels_path;
  data.rows = count;
  data.cols = static_cast<std::size_t>(pixels_per_image);
  // Reserve what a plausible header asks for (check_size bounds it by the file); a gzip file that
  // claims more than it holds grows the vector only as far as its bytes really go.
  constexpr std::uint64_t kReserveLimit = std::uint64_t{1} << 28;
  data.features.reserve(static_cast<std::size_t>(std::min(pixel_count, kReserveLimit)));
  // pixel / 255.0 through a table: exactly the same doubles, without a division per pixel.
  std::array<double, 256> scaled{};
  for (int level = 0; level < 256; ++level) scaled[level] = level / 255.0;
  read_body(images, 16, pixel_count, "pixel", shape,
            [&](const unsigned char* levels, std::size_t n) {
              for (std::size_t i = 0; i < n; ++i) data.features.push_back(scaled[levels[i]]);
            });
  data.labels.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(count, kReserveLimit)));
  read_body(labels, 8, count, "label", label_shape, [&](const unsigned char* bytes, std::size_t n) {
    data.labels.insert(data.labels.end(), bytes, bytes + n);
  });
  data.classes = *std::max_element(data.labels.begin(), data.labels.end()) + 1;
  return data;
}

}  // namespace hyperpush::data
