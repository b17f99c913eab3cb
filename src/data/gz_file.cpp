#include "gz_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <system_error>

#include "hyperpush/error.hpp"

namespace hyperpush::data::detail {
namespace {

const char* const kValid = "; expected a readable data file, plain or gzip-compressed";

// Large reads and a large zlib buffer: Fashion-MNIST is 47 MB once decompressed.
constexpr unsigned kGzBufferBytes = 1U << 18;
constexpr unsigned kGzMinBufferBytes = 1U << 13;  // zlib's default
constexpr std::size_t kMaxChunk = 1U << 30;       // gzread takes an unsigned and returns an int

}  // namespace

GzFile::GzFile(const std::string& path) : path_(path) {
  // open(2) accepts a directory and fails only at the first read; say so up front instead.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error(path + ": cannot open: " + std::strerror(EISDIR) + kValid);
  errno = 0;
  file_ = gzopen(path.c_str(), "rb");
  if (file_ == nullptr) {
    const int err = errno;
    throw Error(path + ": cannot open: " + (err != 0 ? std::strerror(err) : "out of memory") +
                kValid);
  }
  // Not a regular file (a pipe): no bound.
  const auto size = std::filesystem::file_size(path, ec);
  stored_bytes_ = ec ? std::numeric_limits<std::uint64_t>::max() : size;
  // zlib allocates three times this: no more than a small file needs.
  gzbuffer(static_cast<gzFile>(file_), static_cast<unsigned>(std::clamp<std::uint64_t>(
                                           stored_bytes_, kGzMinBufferBytes, kGzBufferBytes)));
}

bool GzFile::compressed() const { return gzdirect(static_cast<gzFile>(file_)) == 0; }

std::uint64_t GzFile::max_bytes() const {
  constexpr std::uint64_t kDeflateMaxRatio = 1032;
  if (!compressed()) return stored_bytes_;
  return stored_bytes_ > std::numeric_limits<std::uint64_t>::max() / kDeflateMaxRatio
             ? std::numeric_limits<std::uint64_t>::max()
             : stored_bytes_ * kDeflateMaxRatio;
}

GzFile::~GzFile() { gzclose(static_cast<gzFile>(file_)); }

std::size_t GzFile::read(void* data, std::size_t size) {
  auto* out = static_cast<unsigned char*>(data);
  std::size_t done = 0;
  while (done < size) {
    const auto chunk = static_cast<unsigned>(std::min(size - done, kMaxChunk));
    errno = 0;
    const int got = gzread(static_cast<gzFile>(file_), out + done, chunk);
    const int read_errno = errno;
    int code = Z_OK;
    std::string message = gzerror(static_cast<gzFile>(file_), &code);
    if (code != Z_OK) {
      if (code == Z_ERRNO)
        throw Error(path_ + ": cannot read: " + std::strerror(read_errno) + kValid);
      // zlib prefixes its message with the path, which ours already starts with.
      if (message.compare(0, path_.size() + 2, path_ + ": ") == 0)
        message.erase(0, path_.size() + 2);
      // A gzip stream cut short is Z_BUF_ERROR "unexpected end of file"; a corrupt one
      // Z_DATA_ERROR.
      throw Error(path_ + ": cannot decompress: " + message +
                  "; expected a complete, uncorrupted gzip file");
    }
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}

}  // namespace hyperpush::data::detail
