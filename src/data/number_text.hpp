#pragma once
// A double as the shortest text that reads back as the same value ("0.4", "1e-05", "-inf"), for
// error messages that quote a parameter the user gave. Internal to the data layer.
#include <charconv>
#include <string>

namespace hyperpush::data::detail {

inline std::string number_text(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace hyperpush::data::detail
