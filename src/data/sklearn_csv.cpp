#include "hyperpush/data/sklearn_csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "hyperpush/error.hpp"
#include "text_field.hpp"
#include "text_lines.hpp"

namespace hyperpush::data {
namespace {

using detail::TextLines;

const char* const kLineLayout = "the features, then the class label";
const char* const kHeaderLayout =
    "expected a scikit-learn header \"n_samples,n_features,class names...\" or none";

// Splits a CSV line at its commas (the scikit-learn files quote nothing), trimming each field.
void split_fields(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(detail::trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) return;
    start = comma + 1;
  }
}

bool is_blank(std::string_view line) { return detail::trim(line).empty(); }

// What deciding on the header needs, from a first pass over the file.
struct Outline {
  std::string first;               // the first non-blank line
  std::size_t first_number = 0;    // its line number
  std::size_t second_fields = 0;   // field count of the second non-blank line, 0 if none
  std::size_t second_number = 0;   // its line number
  std::size_t nonblank_lines = 0;  // the first included
};

Outline outline(const std::string& path) {
  TextLines lines(path);
  Outline out;
  std::vector<std::string_view> fields;
  std::string_view line;
  while (lines.next(line)) {
    if (is_blank(line)) continue;
    if (++out.nonblank_lines == 1) {
      out.first = line;
      out.first_number = lines.number();
    } else if (out.nonblank_lines == 2) {
      split_fields(line, fields);
      out.second_fields = fields.size();
      out.second_number = lines.number();
    }
  }
  if (out.nonblank_lines == 0)
    throw Error(path + ": file is empty; expected CSV lines of " + kLineLayout);
  return out;
}

bool parse_count(std::string_view text, std::size_t& count) {
  const char* const end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, count);
  return !text.empty() && ec == std::errc() && ptr == end;
}

// The first line as sklearn.datasets._base.load_csv_data reads it: n_samples, n_features, then
// the names of the classes.
struct Header {
  std::size_t line = 0;
  std::size_t samples = 0;
  std::size_t features = 0;
  std::vector<std::string> class_names;
};

// The header, if the first line is one (see read_sklearn_csv in the header file for the rule).
std::optional<Header> find_header(const std::string& path, const Outline& outline) {
  std::vector<std::string_view> fields;
  split_fields(outline.first, fields);
  double unused = 0;
  const bool all_numbers = std::all_of(fields.begin(), fields.end(), [&unused](auto field) {
    return detail::parse_number(field, unused) != detail::NumberText::kNotANumber;
  });
  Header header;
  header.line = outline.first_number;
  const bool counts_parse = fields.size() >= 2 && parse_count(fields[0], header.samples) &&
                            parse_count(fields[1], header.features);
  // A first field that is not a number starts no data line; else the line must look like a
  // header and also fit none of the data lines' layout or declare exactly their shape.
  double first_value = 0;
  const bool first_is_number =
      detail::parse_number(fields[0], first_value) != detail::NumberText::kNotANumber;
  const bool has_second = outline.nonblank_lines >= 2;
  const bool is_header =
      !first_is_number ||
      (counts_parse && (!all_numbers || (has_second && fields.size() != outline.second_fields) ||
                        (has_second && header.samples == outline.nonblank_lines - 1 &&
                         header.features + 1 == outline.second_fields)));
  if (!is_header) return std::nullopt;

  const std::string where = path + ":" + std::to_string(header.line) + ": ";
  if (fields.size() < 2) throw Error(where + "header has 1 field; " + kHeaderLayout);
  if (!parse_count(fields[0], header.samples))
    throw Error(where + "header field 1 " + detail::quoted(fields[0]) + " is not a sample count; " +
                kHeaderLayout);
  if (!parse_count(fields[1], header.features))
    throw Error(where + "header field 2 " + detail::quoted(fields[1]) +
                " is not a feature count; " + kHeaderLayout);
  if (header.features == 0)
    throw Error(where + "the header declares 0 features; expected at least 1");
  if (has_second && header.features + 1 != outline.second_fields)
    throw Error(where + "the header declares " + std::to_string(header.features) +
                " features, but line " + std::to_string(outline.second_number) + " has " +
                std::to_string(outline.second_fields) + " fields; expected n_features + 1 fields " +
                "per line: " + kLineLayout);
  header.class_names.assign(fields.begin() + 2, fields.end());
  return header;
}

// The class index in `text`, or an Error; `classes` = the number the header names, or 0.
int parse_label(std::string_view text, int classes, const TextLines& lines,
                const std::optional<Header>& header) {
  constexpr double kMaxLabel = std::numeric_limits<int>::max() - 1;  // classes = label + 1 fits
  double value = 0;
  const bool index = detail::parse_finite(text, value) && value >= 0 && value <= kMaxLabel &&
                     value == std::floor(value) && (classes == 0 || value < classes);
  if (index) return static_cast<int>(value);
  std::string valid = "expected an integer 0, 1, 2, ...";
  if (classes > 0)
    valid = "expected an integer from 0 to " + std::to_string(classes - 1) + ", one per class " +
            "name on line " + std::to_string(header->line);
  throw Error(lines.where() + ": label " + detail::quoted(text) + " is not a class index; " +
              valid);
}

}  // namespace

Dataset read_sklearn_csv(const std::string& path) {
  const Outline shape = outline(path);
  const std::optional<Header> header = find_header(path, shape);
  const int declared_classes = header ? static_cast<int>(header->class_names.size()) : 0;

  Dataset data;
  data.source = path;
  // Set by the header, else by the first data line.
  std::size_t expected_fields = header ? header->features + 1 : 0;
  std::size_t first_data_line = 0;
  std::vector<std::string_view> fields;
  TextLines lines(path);
  std::string_view line;
  while (lines.next(line)) {
    if (is_blank(line) || (header && lines.number() == header->line)) continue;
    split_fields(line, fields);
    if (first_data_line == 0) {
      if (!header && fields.size() < 2)
        throw Error(lines.where() + ": got 1 field; expected at least 2: " + kLineLayout);
      if (!header) expected_fields = fields.size();
      first_data_line = lines.number();
      data.features.reserve(shape.nonblank_lines * (fields.size() - 1));
      data.labels.reserve(shape.nonblank_lines);
    }
    if (fields.size() != expected_fields) {
      const std::string rule =
          header ? "line " + std::to_string(header->line) + " declares " +
                       std::to_string(header->features) + " features, and each line holds "
                 : "each line has as many as line " + std::to_string(first_data_line) + ": ";
      throw Error(lines.where() + ": expected " + std::to_string(expected_fields) +
                  " fields, got " + std::to_string(fields.size()) + "; " + rule + kLineLayout);
    }
    for (std::size_t i = 0; i + 1 < fields.size(); ++i) {
      double value = 0;
      if (!detail::parse_finite(fields[i], value))
        detail::throw_not_finite(fields[i], lines.where(), "field " + std::to_string(i + 1));
      data.features.push_back(value);
    }
    data.labels.push_back(parse_label(fields.back(), declared_classes, lines, header));
    ++data.rows;
  }
  if (header && header->samples != data.rows)
    throw Error(path + ":" + std::to_string(header->line) + ": the header declares " +
                std::to_string(header->samples) + " samples, but " + std::to_string(data.rows) +
                " lines follow; expected n_samples to count the data lines");
  if (data.rows == 0)
    throw Error(path + ": file holds no samples; expected CSV lines of " +
                std::string(kLineLayout));
  data.cols = expected_fields - 1;
  if (header && declared_classes > 0) {
    data.classes = declared_classes;
    data.class_names = header->class_names;
  } else {
    data.classes = *std::max_element(data.labels.begin(), data.labels.end()) + 1;
  }
  return data;
}

}  // namespace hyperpush::data
