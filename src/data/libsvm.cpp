#include "hyperpush/data/libsvm.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <new>
#include <string_view>
#include <vector>

#include "hyperpush/error.hpp"
#include "text_field.hpp"
#include "text_lines.hpp"

namespace hyperpush::data {
namespace {

using detail::TextLines;

// Distinct labels a classifier's data set may have.
constexpr int kMaxClasses = 1000;

// The next token of `line` from `pos` (spaces and tabs separate them), empty at the end.
std::string_view next_token(std::string_view line, std::size_t& pos) {
  const std::size_t begin = std::min(line.find_first_not_of(" \t", pos), line.size());
  pos = std::min(line.find_first_of(" \t", begin), line.size());
  return line.substr(begin, pos - begin);
}

bool parse_index(std::string_view text, std::uint64_t& index) {
  const char* const end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, index);
  return !text.empty() && ec == std::errc() && ptr == end;
}

std::uint64_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
}

// The file as read, before the dense layout: compressed sparse rows.
struct SparseRows {
  std::vector<double> labels;
  std::vector<std::size_t> offsets{0};  // row r's entries are [offsets[r], offsets[r + 1])
  std::vector<std::uint64_t> indices;   // 1-based, as in the file
  std::vector<double> values;
  std::uint64_t max_index = 0;
};

SparseRows read_sparse(const std::string& path, std::size_t features) {
  SparseRows rows;
  TextLines lines(path);
  std::string_view line;
  while (lines.next(line)) {
    std::size_t pos = 0;
    const std::string_view label = next_token(line, pos);
    if (label.empty()) continue;  // blank line
    const auto check_comment = [&lines](std::string_view token) {
      if (token.front() == '#')
        throw Error(lines.where() + ": \"#\" starts a comment, which the LIBSVM format does not " +
                    "have; expected only \"<label> <index>:<value> ...\" on each line");
    };
    check_comment(label);
    double value = 0;
    if (!detail::parse_finite(label, value))
      detail::throw_not_finite(label, lines.where(), "label");
    if (value != std::floor(value))
      throw Error(lines.where() + ": label " + std::string(label) +
                  " is not an integer, which looks like a regression target; hyperpush's models "
                  "and trees are classifiers: expected class labels such as 0, 1, 2 or -1, +1");
    rows.labels.push_back(value);

    std::uint64_t previous = 0;
    for (std::string_view token = next_token(line, pos); !token.empty();
         token = next_token(line, pos)) {
      check_comment(token);
      const std::size_t colon = token.find(':');
      std::uint64_t index = 0;
      if (colon == std::string_view::npos || !parse_index(token.substr(0, colon), index))
        throw Error(lines.where() + ": token " + detail::quoted(token) +
                    " is not index:value; expected a positive integer index, a colon and a " +
                    "number, such as 3:0.5");
      if (index == 0)
        throw Error(lines.where() + ": index 0 in " + detail::quoted(token) +
                    "; LIBSVM indices start at 1");
      if (index <= previous)
        throw Error(lines.where() + ": index " + std::to_string(index) + " after index " +
                    std::to_string(previous) + "; indices must be strictly ascending in a line");
      if (features != 0 && index > features)
        throw Error(lines.where() + ": index " + std::to_string(index) + " is above the " +
                    std::to_string(features) + " features asked for; expected indices 1 to " +
                    std::to_string(features));
      const std::string_view text = token.substr(colon + 1);
      if (!detail::parse_finite(text, value))
        detail::throw_not_finite(text, lines.where(), "value of index " + std::to_string(index));
      rows.indices.push_back(index);
      rows.values.push_back(value);
      previous = index;
    }
    rows.max_index = std::max(rows.max_index, previous);
    rows.offsets.push_back(rows.indices.size());
  }
  if (rows.labels.empty())
    throw Error(path + ": file is empty; expected lines \"<label> <index>:<value> ...\"");
  return rows;
}

}  // namespace

Dataset read_libsvm(const std::string& path, std::size_t features) {
  const SparseRows sparse = read_sparse(path, features);

  Dataset data;
  data.source = path;
  data.rows = sparse.labels.size();
  const std::uint64_t cols = features != 0 ? features : sparse.max_index;
  // Dense storage is the Dataset's contract; a file of very wide sparse rows may not fit.
  const Error too_wide(path + ": " + std::to_string(data.rows) + " samples of " +
                       std::to_string(cols) +
                       " features do not fit in memory as dense doubles; expected fewer features");
  // Refused before allocating, also when the allocation would succeed on paper and then swap: one
  // line "1 1000000000:1" asks for 8 GB.
  if (cols > std::numeric_limits<std::size_t>::max() / sizeof(double) / data.rows ||
      data.rows * cols * sizeof(double) > physical_memory_bytes())
    throw too_wide;
  data.cols = static_cast<std::size_t>(cols);
  try {
    data.features.assign(data.rows * data.cols, 0.0);
  } catch (const std::bad_alloc&) {
    throw too_wide;
  }
  for (std::size_t r = 0; r < data.rows; ++r)
    for (std::size_t k = sparse.offsets[r]; k < sparse.offsets[r + 1]; ++k)
      data.features[r * data.cols + (sparse.indices[k] - 1)] = sparse.values[k];

  // Class k is the k-th smallest distinct label value.
  data.label_values = sparse.labels;
  std::sort(data.label_values.begin(), data.label_values.end());
  data.label_values.erase(std::unique(data.label_values.begin(), data.label_values.end()),
                          data.label_values.end());
  data.classes = static_cast<int>(data.label_values.size());
  // Many classes with a handful of samples each: a regression target read as classes.
  if (data.classes > kMaxClasses ||
      (data.classes >= 50 && static_cast<double>(data.rows) / data.classes < 3))
    throw Error(path + ": " + std::to_string(data.classes) + " distinct labels over " +
                std::to_string(data.rows) +
                " samples looks like a regression target; hyperpush's models and trees are "
                "classifiers: expected at most " +
                std::to_string(kMaxClasses) + " classes with several samples each");
  data.labels.reserve(data.rows);
  for (const double label : sparse.labels)
    data.labels.push_back(static_cast<int>(
        std::lower_bound(data.label_values.begin(), data.label_values.end(), label) -
        data.label_values.begin()));
  return data;
}

}  // namespace hyperpush::data
