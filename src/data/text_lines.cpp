#include "text_lines.hpp"

#include <algorithm>
#include <cstring>

namespace hyperpush::data::detail {
namespace {
constexpr std::size_t kInitialBuffer = 1U << 16;  // grows to hold the longest line
}  // namespace

TextLines::TextLines(const std::string& path) : file_(path), buffer_(kInitialBuffer) {}

bool TextLines::next(std::string_view& line) {
  std::size_t scanned = begin_;  // no '\n' in buffer_[begin_, scanned)
  for (;;) {
    const char* const data = buffer_.data();
    const void* newline = std::memchr(data + scanned, '\n', end_ - scanned);
    if (newline != nullptr || (at_eof_ && begin_ < end_)) {
      const std::size_t stop =
          newline != nullptr ? static_cast<std::size_t>(static_cast<const char*>(newline) - data)
                             : end_;
      std::size_t length = stop - begin_;
      if (length > 0 && data[begin_ + length - 1] == '\r') --length;
      line = std::string_view(data + begin_, length);
      begin_ = newline != nullptr ? stop + 1 : end_;
      ++number_;
      return true;
    }
    if (at_eof_) return false;
    // Keep the partial line, move it to the front, and read more after it.
    scanned = end_;
    if (begin_ > 0) {
      std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(begin_),
                buffer_.begin() + static_cast<std::ptrdiff_t>(end_), buffer_.begin());
      scanned -= begin_;
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buffer_.size()) buffer_.resize(2 * buffer_.size());
    const std::size_t got = file_.read(buffer_.data() + end_, buffer_.size() - end_);
    end_ += got;
    at_eof_ = got == 0;
  }
}

}  // namespace hyperpush::data::detail
