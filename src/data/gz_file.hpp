#pragma once
// A data file opened for reading through zlib, so that gzip-compressed files (.gz, as Debian and
// scikit-learn ship them) and plain files read the same way: gzread passes uncompressed bytes
// through unchanged. Internal to the data layer.
#include <cstddef>
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

 private:
  std::string path_;
  void* file_ = nullptr;  // gzFile; kept opaque so that zlib.h stays out of the readers
};

}  // namespace hyperpush::data::detail
