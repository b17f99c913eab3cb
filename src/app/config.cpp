#include "hyperpush/app/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hyperpush/error.hpp"

namespace hyperpush::app {
namespace {

const KeyDecl* find_key(const std::string& key) {
  for (const auto& decl : config_keys())
    if (decl.key == key) return &decl;
  return nullptr;
}

std::string section_of(const std::string& key) {
  const auto dot = key.find('.');
  return dot == std::string::npos ? "" : key.substr(0, dot);
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string format_number(double v) {
  char buffer[64];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  std::string s(buffer, end);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // a TOML float needs a point
  return s;
}

// A TOML basic string: config.resolved.toml must read back, whatever bytes a --set gave.
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      (out += '\\') += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string format_value(const Value& v) {
  if (auto i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (auto d = std::get_if<double>(&v)) return format_number(*d);
  if (auto b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return quote(std::get<std::string>(v));
}

const char* type_name(KeyType t) {
  switch (t) {
    case KeyType::integer:
      return "an integer";
    case KeyType::real:
      return "a number";
    case KeyType::string:
      return "a string";
    case KeyType::boolean:
      return "true or false";
  }
  return "";
}

std::string range_text(const KeyDecl& d) {
  auto bound = [&](double v) {
    return d.type == KeyType::integer ? std::to_string(static_cast<std::int64_t>(v))
                                      : format_number(v);
  };
  return std::string(d.min_exclusive ? "(" : "[") + bound(d.min) + ", " + bound(d.max) + "]";
}

std::string choices_text(const KeyDecl& d) {
  std::string s;
  for (const auto& c : d.choices) s += (s.empty() ? "" : ", ") + c;
  return s;
}

// "unknown key" with the nearest valid key, or the keys of the section.
[[noreturn]] void unknown_key(const std::string& key, const std::string& where) {
  const KeyDecl* nearest = nullptr;
  std::size_t best = 4;  // suggest only close misspellings
  for (const auto& decl : config_keys()) {
    // The distance is at least the difference in length: a long key is compared with none.
    const std::size_t shorter = std::min(key.size(), decl.key.size());
    if (std::max(key.size(), decl.key.size()) - shorter >= best) continue;
    const std::size_t dist = edit_distance(key, decl.key);
    if (dist < best) best = dist, nearest = &decl;
  }
  std::string valid;
  const std::string section = section_of(key);
  for (const auto& decl : config_keys())
    if (section_of(decl.key) == section) valid += (valid.empty() ? "" : ", ") + decl.key;
  if (valid.empty()) {
    for (const auto& decl : config_keys())
      if (!section_of(decl.key).empty() && valid.find(section_of(decl.key)) == std::string::npos)
        valid += (valid.empty() ? "" : ", ") + ("[" + section_of(decl.key) + "]");
    throw ConfigError(where + ": unknown section [" + section + "]; valid sections: " + valid);
  }
  throw ConfigError(where + ": unknown key '" + key + "'" +
              (nearest ? " (did you mean '" + nearest->key + "'?)" : "") +
              "; valid keys here: " + valid);
}

// A value from the TOML document, checked for type (integers are accepted where numbers are).
Value from_toml(const KeyDecl& decl, const toml::node& node, const std::string& where) {
  switch (decl.type) {
    case KeyType::integer:
      if (auto v = node.value_exact<std::int64_t>()) return *v;
      break;
    case KeyType::real:
      if (auto v = node.value_exact<double>()) return *v;
      if (auto v = node.value_exact<std::int64_t>()) return static_cast<double>(*v);
      break;
    case KeyType::string:
      if (auto v = node.value_exact<std::string>()) return *v;
      break;
    case KeyType::boolean:
      if (auto v = node.value_exact<bool>()) return *v;
      break;
  }
  std::ostringstream got;
  got << node.type() << " ";
  node.visit([&](const auto& value) { got << value; });
  throw ConfigError(where + ": key '" + decl.key + "' must be " + type_name(decl.type) + ", got " +
              got.str());
}

// The offset of the first byte of `text` that does not continue valid UTF-8 (RFC 3629, table 3-7
// of the Unicode standard: no overlong forms, no surrogates, nothing above U+10FFFF), or npos.
std::size_t invalid_utf8_at(const std::string& text) {
  const auto byte = [&text](std::size_t i) {
    return i < text.size() ? static_cast<unsigned char>(text[i]) : 0;
  };
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char lead = byte(i);
    int length = 1;
    unsigned char low = 0x80, high = 0xbf;  // the valid range of the second byte
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) low = 0xa0;
      if (lead == 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) low = 0x90;
      if (lead == 0xf4) high = 0x8f;
    } else {
      return i;
    }
    if (byte(i + 1) < low || byte(i + 1) > high) return i;
    for (int k = 2; k < length; ++k)
      if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return i;
    i += static_cast<std::size_t>(length);
  }
  return std::string::npos;
}

// A value from `--set key=value`, parsed by the declared type.
Value from_text(const KeyDecl& decl, const std::string& text, const std::string& where) {
  const char* first = text.data();
  const char* last = first + text.size();
  switch (decl.type) {
    case KeyType::integer: {
      std::int64_t v = 0;
      const auto r = std::from_chars(first, last, v);
      if (r.ec == std::errc() && r.ptr == last && !text.empty()) return v;
      if (r.ec == std::errc::result_out_of_range && r.ptr == last)
        throw ConfigError(where + ": key '" + decl.key + "' = " + text +
                    " is out of range; valid: " + range_text(decl));
      break;
    }
    case KeyType::real: {
      double v = 0;
      const auto r = std::from_chars(first, last, v);
      if (r.ec == std::errc() && r.ptr == last && !text.empty()) return v;
      break;
    }
    case KeyType::string:
      // A TOML file is UTF-8, and so must config.resolved.toml be.
      if (const std::size_t bad = invalid_utf8_at(text); bad != std::string::npos)
        throw ConfigError(where + ": key '" + decl.key + "' must be UTF-8 text; byte " +
                    std::to_string(bad + 1) + " of the value is not");
      if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
        return text.substr(1, text.size() - 2);
      return text;
    case KeyType::boolean:
      if (text == "true") return true;
      if (text == "false") return false;
      break;
  }
  throw ConfigError(where + ": key '" + decl.key + "' must be " + type_name(decl.type) + ", got '" +
              text + "'");
}

std::string line_of(const std::string& path, const toml::node& node) {
  return path + ":" + std::to_string(node.source().begin.line);
}

}  // namespace

std::string config_reference_markdown() {
  std::ostringstream out;
  out << "| key | type | default | valid | description |\n|---|---|---|---|---|\n";
  for (const auto& d : config_keys()) {
    std::string valid;
    if (!d.choices.empty())
      valid = choices_text(d);
    else if (d.type == KeyType::integer || d.type == KeyType::real)
      valid = range_text(d);
    std::string type = type_name(d.type);
    type = type.substr(type.find(' ') + 1);
    if (d.type == KeyType::boolean) type = "boolean";
    out << "| `" << d.key << "` | " << type << " | `" << format_value(d.default_value) << "` | "
        << valid << " | " << d.doc << " |\n";
  }
  return out.str();
}

void Config::set(const KeyDecl& decl, const Value& value, const std::string& where) {
  if (decl.type == KeyType::integer || decl.type == KeyType::real) {
    // Integers compare as integers: 2^53 + 1 must not round to the maximum 2^53.
    const bool integer = decl.type == KeyType::integer;
    const double v =
        integer ? static_cast<double>(std::get<std::int64_t>(value)) : std::get<double>(value);
    const bool low = decl.min_exclusive ? !(v > decl.min) : !(v >= decl.min);
    const bool high = integer ? std::get<std::int64_t>(value) > static_cast<std::int64_t>(decl.max)
                              : v > decl.max;
    if (!std::isfinite(v) || low || high)
      throw ConfigError(where + ": key '" + decl.key + "' = " + format_value(value) +
                  " is out of range; valid: " + range_text(decl));
  }
  if (!decl.choices.empty()) {
    const auto& s = std::get<std::string>(value);
    if (std::find(decl.choices.begin(), decl.choices.end(), s) == decl.choices.end())
      throw ConfigError(where + ": key '" + decl.key + "' = " + quote(s) +
                  " is not valid; valid: " + choices_text(decl));
  }
  values_[decl.key] = value;
}

Config Config::defaults(const std::vector<std::string>& overrides) {
  Config config;
  for (const auto& decl : config_keys()) config.values_[decl.key] = decl.default_value;
  for (const auto& item : overrides) {
    const std::string where = "--set " + item;
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw ConfigError(where + ": expected key=value, for example --set topology.kind=directed-ring");
    const std::string key = item.substr(0, eq);
    const KeyDecl* decl = find_key(key);
    if (!decl) unknown_key(key, where);
    config.set(*decl, from_text(*decl, item.substr(eq + 1), where), where);
  }
  return config;
}

Config Config::load(const std::string& path, const std::vector<std::string>& overrides) {
  if (!std::filesystem::exists(path))
    throw ConfigError(path + ": cannot open config file (no such file)");
  if (!std::filesystem::is_regular_file(path))
    throw ConfigError(path + ": cannot open config file (not a regular file)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open config file (" + std::strerror(errno) + ")");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path, overrides);
}

Config Config::parse(std::string_view text, const std::string& path,
                     const std::vector<std::string>& overrides) {
  toml::table doc;
  try {
    doc = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw ConfigError(path + ":" + std::to_string(e.source().begin.line) + ":" +
                std::to_string(e.source().begin.column) +
                ": TOML syntax error: " + std::string(e.description()));
  }
  Config config = defaults();
  config.source_ = path;
  config.base_dir_ = std::filesystem::path(path).parent_path().string();
  if (config.base_dir_.empty()) config.base_dir_ = ".";
  const auto visit = [&](const std::string& key, const toml::node& node) {
    const std::string where = line_of(path, node);
    const KeyDecl* decl = find_key(key);
    if (!decl) unknown_key(key, where);
    config.set(*decl, from_toml(*decl, node, where), where);
  };
  for (const auto& [name, node] : doc) {
    const std::string key(name.str());
    if (const auto* section = node.as_table()) {
      for (const auto& [sub, leaf] : *section) {
        const std::string dotted = key + "." + std::string(sub.str());
        if (leaf.is_table()) unknown_key(dotted, line_of(path, leaf));
        visit(dotted, leaf);
      }
    } else {
      visit(key, node);
    }
  }
  // Overrides come last and are checked the same way.
  const Config with = defaults(overrides);
  for (const auto& item : overrides) {
    const std::string key = item.substr(0, item.find('='));
    config.values_[key] = with.values_.at(key);
    config.base_of_[key] = ".";
  }
  return config;
}

const Value& Config::value(const std::string& key, KeyType type) const {
  const auto it = values_.find(key);  // Value's alternatives are in KeyType's order
  if (it == values_.end() || it->second.index() != static_cast<std::size_t>(type))
    throw ConfigError("config: no key '" + key + "' holding " + type_name(type) +
                " is declared (app/config_keys.cpp)");
  return it->second;
}

std::int64_t Config::integer(const std::string& key) const {
  return std::get<std::int64_t>(value(key, KeyType::integer));
}
double Config::real(const std::string& key) const {
  return std::get<double>(value(key, KeyType::real));
}
const std::string& Config::string(const std::string& key) const {
  return std::get<std::string>(value(key, KeyType::string));
}
bool Config::boolean(const std::string& key) const {
  return std::get<bool>(value(key, KeyType::boolean));
}

void Config::set_integer(const std::string& key, std::int64_t value) {
  const KeyDecl* decl = find_key(key);
  if (!decl || decl->type != KeyType::integer) throw ConfigError("config: no integer key '" + key + "'");
  set(*decl, value, "config");
}

std::string Config::path(const std::string& key) const {
  const std::filesystem::path p = string(key);
  if (p.empty() || p.is_absolute()) return p.string();
  const auto base = base_of_.find(key);
  const std::string& dir = base == base_of_.end() ? base_dir_ : base->second;
  return (std::filesystem::path(dir) / p).lexically_normal().string();
}

std::string Config::to_toml() const {
  std::ostringstream out;
  out << "# Resolved configuration (every key, defaults included), written by hyperpush.\n";
  std::string current;
  for (const auto& decl : config_keys()) {
    const std::string section = section_of(decl.key);
    if (section != current) {
      out << "\n[" << section << "]\n";
      current = section;
    }
    const std::string name = section.empty() ? decl.key : decl.key.substr(section.size() + 1);
    out << name << " = " << format_value(values_.at(decl.key)) << "\n";
  }
  return out.str();
}

}  // namespace hyperpush::app
