#pragma once
// A text data file read line by line, gzip-compressed or plain, with the position of the line for
// error messages ("<path>:<line>"). Internal to the data layer.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "gz_file.hpp"

namespace hyperpush::data::detail {

class TextLines {
 public:
  // Throws hyperpush::Error when the file cannot be opened.
  explicit TextLines(const std::string& path);

  // The next line, without its "\n" or "\r\n", in `line`; false at the end of the file. The view
  // stays valid until the next call.
  bool next(std::string_view& line);

  const std::string& path() const { return file_.path(); }
  // 1-based number of the line next() returned last.
  std::size_t number() const { return number_; }
  // "<path>:<line>" of that line, the start of every message about it.
  std::string where() const { return path() + ":" + std::to_string(number_); }

 private:
  GzFile file_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;
  bool at_eof_ = false;
  std::size_t number_ = 0;
};

}  // namespace hyperpush::data::detail
