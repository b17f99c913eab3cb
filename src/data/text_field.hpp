#pragma once
// One field of a text data file (CSV cell, LIBSVM label or value): trimming it, reading it as a
// number, and quoting it in error messages. Internal to the data layer.
#include <string>
#include <string_view>

namespace hyperpush::data::detail {

// `text` without the spaces and tabs around it.
std::string_view trim(std::string_view text);

// `text` in double quotes for an error message: bytes outside printable ASCII as \xNN, and text
// longer than 40 bytes cut to its first 40 followed by "...", so that a binary file passed by
// mistake still gives a one-line message.
std::string quoted(std::string_view text);

enum class NumberText { kNumber, kNotANumber, kOutOfRange };

// Reads all of `text` as a decimal number with std::from_chars: locale-independent; accepts "3",
// "+1", "-0.25", ".5", "1e-3", "nan" and "inf"; rejects "0x10", "1,5" and surrounding spaces.
// kOutOfRange: a number, but beyond what a double holds (1e999, 1e-999); `value` is then unchanged.
NumberText parse_number(std::string_view text, double& value);

// True when all of `text` is a finite number, then in `value`.
bool parse_finite(std::string_view text, double& value);

// Throws hyperpush::Error "<where>: <what> "<text>" is not a number; ..." (or "is not finite", "is
// outside the range of a double") for a `text` that parse_finite rejected. `where` is
// "<path>:<line>", `what` names the field ("field 3", "label").
[[noreturn]] void throw_not_finite(std::string_view text, const std::string& where,
                                   const std::string& what);

}  // namespace hyperpush::data::detail
