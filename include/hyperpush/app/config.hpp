#pragma once
// Run configuration: a TOML file plus `--set key=value` overrides, checked against the one table of
// declared keys (config_keys.cpp). Every key has a type, a default, a valid range or set of choices
// and a one-line doc; the README's config reference and every error message come from that table.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hyperpush::app {

class Config;
struct Settings;

enum class KeyType { integer, real, string, boolean };

using Value = std::variant<std::int64_t, double, std::string, bool>;

struct KeyDecl {
  std::string key;  // dotted: "topology.kind"
  KeyType type;
  Value default_value;
  double min = 0, max = 0;           // numbers: valid range [min, max] (when min < max)
  bool min_exclusive = false;        // (min, max]
  std::vector<std::string> choices;  // strings: the valid values, when restricted
  std::string doc;
  // Puts the key's value in its field of Settings (settings.hpp).
  std::function<void(const Config&, Settings&)> store;
};

// The table of every key, in the order the reference lists them.
const std::vector<KeyDecl>& config_keys();

// The README's config reference (a Markdown table), generated from config_keys().
std::string config_reference_markdown();

// The table of topology kinds (name, time-varying, fit for thousands of agents, doc).
std::string topology_reference_markdown();

class Config {
 public:
  // Reads `path`, applies `overrides` ("key=value", in order) and checks every key against the
  // table. Throws hyperpush::Error naming the file and line (or the --set argument), the key and
  // what is valid. Relative paths in string keys that name files stay as given; base_dir() resolves
  // them.
  static Config load(const std::string& path, const std::vector<std::string>& overrides);
  // The same from the text of a config file; `path` names it in messages and is the folder
  // relative paths resolve against.
  static Config parse(std::string_view text, const std::string& path,
                      const std::vector<std::string>& overrides);
  // Defaults only, plus overrides (for tests and programmatic use).
  static Config defaults(const std::vector<std::string>& overrides = {});

  std::int64_t integer(const std::string& key) const;
  double real(const std::string& key) const;
  const std::string& string(const std::string& key) const;
  bool boolean(const std::string& key) const;

  void set_integer(const std::string& key, std::int64_t value);

  // A path from the config, resolved against the config file's folder when relative (against the
  // working directory when it came from --set).
  std::string path(const std::string& key) const;
  const std::string& base_dir() const { return base_dir_; }
  const std::string& source() const { return source_; }

  // The resolved config (every key, defaults included) as TOML, in table order.
  std::string to_toml() const;

 private:
  void set(const KeyDecl& decl, const Value& value, const std::string& where);
  // The value of a declared key of that type; hyperpush::Error naming the key otherwise.
  const Value& value(const std::string& key, KeyType type) const;

  std::map<std::string, Value> values_;
  std::map<std::string, std::string> base_of_;  // --set paths resolve against the working directory
  std::string source_ = "<defaults>";
  std::string base_dir_ = ".";
};

}  // namespace hyperpush::app
