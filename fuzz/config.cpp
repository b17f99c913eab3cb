// Fuzz target: the config layer. The input up to its first NUL byte is the text of a config file;
// each further NUL-separated piece is a `--set` override. Config::parse either refuses it with a
// hyperpush::Error or accepts it, and then the resolved config (config.resolved.toml) must read
// back to itself, it reads typed (read_settings), and the width lists validate or refuse. Anything
// else is a bug.
#include "hyperpush/app/config.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "hyperpush/app/settings.hpp"
#include "hyperpush/error.hpp"

using hyperpush::app::Config;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t end = input.find('\0');
  const std::string_view text = input.substr(0, end);
  std::vector<std::string> overrides;
  for (std::size_t start = end; start < input.size();) {
    const std::size_t next = input.find('\0', start + 1);
    overrides.emplace_back(input.substr(start + 1, next - start - 1));
    start = next;
  }
  std::string resolved;
  try {
    const Config config = Config::parse(text, "fuzz.toml", overrides);
    resolved = config.to_toml();
    const hyperpush::app::Settings settings = hyperpush::app::read_settings(config);
    for (const auto* widths : {&settings.model.hidden, &settings.model.channels}) {
      try {
        widths->values();
      } catch (const hyperpush::Error&) {
      }
    }
  } catch (const hyperpush::Error&) {
    return 0;
  }
  // Not under the catch above: a resolved config that does not read back is a bug.
  if (Config::parse(resolved, "config.resolved.toml", {}).to_toml() != resolved) std::abort();
  return 0;
}
