#pragma once
// A data file opened for reading through zlib, so that gzip-compressed files (.gz, as Debian and
// scikit-learn ship them) and plain files read the same way: gzread passes uncompressed bytes
// through unchanged. Internal to the data layer.
#include <cstddef>
#include <cstdint>
#include <string>

namespace hyperpush::data::detail {

class GzFile {
 public:
  // Throws hyperpush::Error "<path>: cannot open: <reason>; ..." when the file cannot be read.
  explicit GzFile(const std::string& path);
  ~GzFile();
  GzFile(const GzFile&) = delete;
  GzFile& operator=(const GzFile&) = delete;

  // Reads up to `size` bytes into `data` and returns how many were read: fewer only at the end of
  // the file. Throws hyperpush::Error on an I/O error or a corrupt or truncated gzip stream.
  std::size_t read(void* data, std::size_t size);

  const std::string& path() const { return path_; }
  // Whether the file is gzip-compressed (else read() passes its bytes through).
  bool compressed() const;
  // The file's size on disk, and a bound on all that read() can return: that size for a plain
  // file, 1032 times it for a gzip file (deflate's largest ratio, zlib.net/zlib_tech.html). The
  // readers check a header's declared sizes against it before allocating.
  std::uint64_t stored_bytes() const { return stored_bytes_; }
  std::uint64_t max_bytes() const;

 private:
  std::string path_;
  std::uint64_t stored_bytes_ = 0;
  void* file_ = nullptr;  // gzFile; kept opaque so that zlib.h stays out of the readers
};

}  // namespace hyperpush::data::detail
