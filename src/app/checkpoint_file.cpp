#include "hyperpush/app/checkpoint_file.hpp"

#include <climits>
#include <cmath>
#include <cstring>
#include <utility>

#include "hyperpush/error.hpp"

namespace hyperpush::app {
namespace {

using nlohmann::json;

constexpr std::string_view kMagic = "hyperpush checkpoint\n";

template <typename T>
void append(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// A row's count or length: a whole number in [0, most]. NaN fails every comparison, so it is
// refused here before a conversion to an integer could be undefined.
bool is_count(double x, std::size_t most) {
  return x >= 0 && x <= static_cast<double>(most) && x == std::floor(x);
}

// The inverse of flatten_agent_state; false when the row is not one.
bool unflatten(const double* row, std::size_t size, AgentState& state) {
  if (size < 1 || !is_count(row[0], size - 1)) return false;
  const auto m = static_cast<std::size_t>(row[0]);
  std::size_t at = 1 + m, total = 1 + m;
  for (std::size_t k = 0; k < m; ++k) {
    if (!is_count(row[1 + k], size)) return false;
    total += static_cast<std::size_t>(row[1 + k]);
    if (total > size) return false;  // and so no overflow
  }
  if (total != size) return false;
  state.assign(m, {});
  for (std::size_t k = 0; k < m; ++k) {
    const auto n = static_cast<std::size_t>(row[1 + k]);
    state[k].assign(row + at, row + at + n);
    at += n;
  }
  return true;
}

// Whether every field of a format-1 header is there with its type, and every count in the range
// the reader converts it to (a hand-edited or damaged header must be refused, not converted).
bool header_is_readable(const json& header) {
  const auto count = [&](const char* key, std::uint64_t most) {
    if (!header.contains(key)) return false;
    const json& value = header[key];
    if (value.is_number_unsigned()) return value.get<std::uint64_t>() <= most;
    return value.is_number_integer() && value.get<std::int64_t>() >= 0 &&
           static_cast<std::uint64_t>(value.get<std::int64_t>()) <= most;
  };
  const auto string = [&](const char* key) {
    return header.contains(key) && header[key].is_string();
  };
  return string("version") && string("task") && header.contains("config") &&
         header["config"].is_object() && count("step", INT64_MAX) && count("agents", INT_MAX) &&
         count("shared_bytes", UINT64_MAX);
}

// The first results-relevant key whose value differs, as "key = a there, b here".
std::string first_difference(const json& there, const json& here) {
  for (const auto& [key, value] : here.items()) {
    if (!there.contains(key))
      return key + " is new here (this hyperpush has keys the writer did not)";
    if (there[key] != value)
      return key + " = " + there[key].dump() + " there, " + value.dump() + " here";
  }
  for (const auto& [key, value] : there.items())
    if (!here.contains(key)) return key + " is unknown here";
  return "";
}

}  // namespace

std::uint64_t checkpoint_checksum(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::vector<double> flatten_agent_state(const AgentState& state) {
  std::vector<double> row{static_cast<double>(state.size())};
  for (const auto& v : state) row.push_back(static_cast<double>(v.size()));
  for (const auto& v : state) row.insert(row.end(), v.begin(), v.end());
  return row;
}

std::string encode_checkpoint(const std::string& task, const json& config, std::int64_t step,
                              const json& shared, const std::vector<std::vector<double>>& rows) {
  const std::string state = shared.dump();
  const json header = {{"format", kCheckpointFormat},
                       {"version", HYPERPUSH_VERSION},
                       {"task", task},
                       {"step", step},
                       {"agents", rows.size()},
                       {"shared_bytes", state.size()},
                       {"config", config}};
  std::string bytes = std::string(kMagic) + header.dump() + "\n" + state;
  for (const auto& row : rows) {
    append(bytes, static_cast<std::uint64_t>(row.size()));
    bytes.append(reinterpret_cast<const char*>(row.data()), row.size() * sizeof(double));
  }
  append(bytes, checkpoint_checksum(bytes));
  return bytes;
}

Checkpoint decode_checkpoint(std::string_view bytes, const std::string& path,
                             const CheckpointExpectations& expected) {
  const auto refuse = [&](const std::string& why) {
    return Error("checkpoint " + path + ": " + why);
  };
  if (bytes.substr(0, kMagic.size()) != kMagic) throw refuse("not a hyperpush checkpoint");
  const std::size_t eol = bytes.find('\n', kMagic.size());
  if (eol == std::string_view::npos) throw refuse("truncated (no header)");
  const json header =
      json::parse(bytes.begin() + kMagic.size(), bytes.begin() + eol, nullptr, false);
  if (header.is_discarded() || !header.is_object() || !header.contains("format"))
    throw refuse("corrupt (unreadable header)");
  if (header["format"] != kCheckpointFormat)
    throw refuse("format version " + header["format"].dump() + ", this hyperpush reads " +
                 std::to_string(kCheckpointFormat) + " only; start without --resume");
  if (!header_is_readable(header)) throw refuse("corrupt (unreadable header)");
  const std::string task = header["task"];
  if (task != expected.task)
    throw refuse("written by task '" + task + "', this config runs '" + expected.task + "'");
  const std::string differs = first_difference(header["config"], expected.config);
  if (!differs.empty())
    throw refuse("written by another config (" + differs +
                 "); resume with the config it was written with");
  const std::string version = header["version"];
  if (version != HYPERPUSH_VERSION)
    throw refuse("written by hyperpush " + version + ", this is " + HYPERPUSH_VERSION +
                 "; resume with the version that wrote it");
  if (bytes.size() < eol + 1 + sizeof(std::uint64_t)) throw refuse("truncated");
  const std::size_t body = bytes.size() - sizeof(std::uint64_t);
  std::uint64_t checksum = 0;
  std::memcpy(&checksum, bytes.data() + body, sizeof checksum);
  // Size before checksum: a cut file reads as truncated, a changed byte as corrupt. Every count is
  // compared with the bytes left before it is added or allocated, so a huge one cannot overflow
  // `at` or ask for memory the file does not hold.
  const auto shared_bytes = header["shared_bytes"].get<std::uint64_t>();
  const int agents = header["agents"].get<int>();
  bool truncated = shared_bytes > body - (eol + 1);
  std::size_t at = truncated ? body : eol + 1 + shared_bytes;
  std::vector<std::pair<std::size_t, std::size_t>> rows;  // offset, count
  for (int i = 0; i < agents && !truncated; ++i) {
    std::uint64_t count = 0;
    truncated = body - at < sizeof count;
    if (truncated) break;
    std::memcpy(&count, bytes.data() + at, sizeof count);
    at += sizeof count;
    truncated = count > (body - at) / sizeof(double);
    if (truncated) break;
    rows.emplace_back(at, count);
    at += count * sizeof(double);
  }
  if (truncated) throw refuse("truncated (" + std::to_string(bytes.size()) + " bytes)");
  if (at != body)
    throw refuse("corrupt (" + std::to_string(body - at) + " bytes past the last agent)");
  if (checkpoint_checksum(bytes.substr(0, body)) != checksum)
    throw refuse("corrupt (checksum mismatch)");
  if (agents != expected.agents)
    throw refuse("holds " + std::to_string(agents) + " agents, this run has " +
                 std::to_string(expected.agents));
  Checkpoint checkpoint;
  checkpoint.step = header["step"].get<std::int64_t>();
  checkpoint.shared = json::parse(bytes.substr(eol + 1, shared_bytes), nullptr, false);
  if (checkpoint.shared.is_discarded()) throw refuse("corrupt (unreadable state)");
  for (int i = expected.first_agent; i < expected.first_agent + expected.local_agents; ++i) {
    std::vector<double> row(rows.at(i).second);  // aligned
    if (!row.empty())
      std::memcpy(row.data(), bytes.data() + rows[i].first, row.size() * sizeof(double));
    AgentState state;
    if (!unflatten(row.data(), row.size(), state))
      throw refuse("corrupt (agent " + std::to_string(i) + "'s record)");
    checkpoint.agents.push_back(std::move(state));
  }
  return checkpoint;
}

}  // namespace hyperpush::app
