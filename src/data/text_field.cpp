#include "text_field.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <system_error>

#include "hyperpush/error.hpp"

namespace hyperpush::data::detail {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::string quoted(std::string_view text) {
  constexpr std::size_t kMaxShown = 40;
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    }
  }
  if (text.size() > kMaxShown) out += "...";
  return out + "\"";
}

NumberText parse_number(std::string_view text, double& value) {
  // from_chars takes no '+', which LIBSVM labels ("+1") and some CSV writers use.
  if (text.size() >= 2 && text[0] == '+' && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
  const char* const end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ptr != end || ec == std::errc::invalid_argument)
    return NumberText::kNotANumber;
  return ec == std::errc::result_out_of_range ? NumberText::kOutOfRange : NumberText::kNumber;
}

bool parse_finite(std::string_view text, double& value) {
  return parse_number(text, value) == NumberText::kNumber && std::isfinite(value);
}

void throw_not_finite(std::string_view text, const std::string& where, const std::string& what) {
  double value = 0;
  const std::string field = where + ": " + what + " " + quoted(text);
  switch (parse_number(text, value)) {
    case NumberText::kNotANumber:
      throw Error(field + " is not a number; expected a decimal number such as 3, -0.25 or 1e-3");
    case NumberText::kOutOfRange:
      throw Error(field +
                  " is outside the range of a double; expected 0 or a magnitude from 4.9e-324 to "
                  "1.8e308");
    case NumberText::kNumber:
      break;
  }
  throw Error(field + " is not finite; expected a finite number");
}

}  // namespace hyperpush::data::detail
