#include "hyperpush/graph/schedule_file.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string_view>

#include "hyperpush/error.hpp"

namespace hyperpush::graph {
namespace {

// Upper bound on `rounds R`: the reader keeps one edge list per round in memory.
constexpr long long kMaxRounds = 10'000'000;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// The whitespace-separated tokens of `line` before any '#'.
std::vector<std::string_view> tokens_of(std::string_view line) {
  line = line.substr(0, line.find('#'));
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    std::size_t j = i;
    while (j < line.size() && !is_space(line[j])) ++j;
    if (j > i) tokens.push_back(line.substr(i, j - i));
    i = j;
  }
  return tokens;
}

std::string joined(const std::vector<std::string_view>& tokens) {
  std::string s;
  for (std::string_view t : tokens) (s += s.empty() ? "" : " ") += t;
  return s;
}

bool parse_integer(std::string_view token, long long& value) {
  const char* end = token.data() + token.size();
  const auto [ptr, ec] = std::from_chars(token.data(), end, value);
  return ec == std::errc() && ptr == end;
}

class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path), in_(path) {
    if (!in_) throw Error(path_ + ": cannot open the schedule file");
  }

  // The tokens of the next line that has any, or false at the end of the file.
  bool next(std::vector<std::string_view>& tokens) {
    while (std::getline(in_, line_)) {
      ++line_number_;
      tokens = tokens_of(line_);
      if (!tokens.empty()) return true;
    }
    return false;
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(path_ + ":" + std::to_string(line_number_) + ": " + what);
  }

  // Header line `keyword value` (`form` says which, e.g. "agents N") with 1 <= value <= max.
  long long header(const char* keyword, const char* form, long long max) {
    static const std::string kValid =
        "a schedule file starts with `agents N` then `rounds R` (comments start with '#')";
    std::vector<std::string_view> tokens;
    if (!next(tokens)) throw Error(path_ + ": ends before the `" + form + "` line; " + kValid);
    if (tokens.size() != 2 || tokens[0] != keyword)
      fail(std::string("expected `") + form + "`, got '" + joined(tokens) + "'; " + kValid);
    long long value = 0;
    if (!parse_integer(tokens[1], value) || value < 1 || value > max)
      fail(std::string(keyword) + " must be an integer in [1, " + std::to_string(max) + "], got '" +
           std::string(tokens[1]) + "'");
    return value;
  }

 private:
  std::string path_;
  std::ifstream in_;
  std::string line_;
  long long line_number_ = 0;
};

}  // namespace

EdgeSchedule read_schedule_file(const std::string& path) {
  Reader reader(path);
  EdgeSchedule schedule;
  schedule.agents = static_cast<int>(reader.header("agents", "agents N", 2147483647LL));
  const long long rounds = reader.header("rounds", "rounds R", kMaxRounds);
  schedule.rounds.resize(static_cast<std::size_t>(rounds));

  std::vector<std::string_view> tokens;
  while (reader.next(tokens)) {
    if (tokens.size() != 3)
      reader.fail("expected an edge `t u v` (round, from agent, to agent), got '" + joined(tokens) +
                  "'");
    long long value[3];
    for (int k = 0; k < 3; ++k)
      if (!parse_integer(tokens[k], value[k]))
        reader.fail("'" + std::string(tokens[k]) +
                    "' is not an integer; an edge line is `t u v` (round, from agent, to agent)");
    const long long t = value[0], u = value[1], v = value[2];
    if (t < 0 || t >= rounds)
      reader.fail("round " + std::to_string(t) + " is outside [0, " + std::to_string(rounds) +
                  ") (the file declares rounds " + std::to_string(rounds) + ")");
    for (long long agent : {u, v})
      if (agent < 0 || agent >= schedule.agents)
        reader.fail("agent " + std::to_string(agent) + " is outside [0, " +
                    std::to_string(schedule.agents) + ") (the file declares agents " +
                    std::to_string(schedule.agents) + ")");
    if (u != v) schedule.rounds[static_cast<std::size_t>(t)].emplace_back(u, v);
  }
  return schedule;
}

void write_schedule_file(Schedule& s, std::int64_t t0, std::int64_t t1, std::ostream& out) {
  if (t0 < 0 || t1 <= t0 || t1 - t0 > kMaxRounds)
    throw Error("schedule export: need 0 <= t0 < t1 and at most " + std::to_string(kMaxRounds) +
                " rounds, got rounds [" + std::to_string(t0) + ", " + std::to_string(t1) + ")");
  out << "# hyperpush edge-list schedule (format: topologies/README.md)\n"
      << "# exported from kind '" << s.spec().kind << "'";
  if (!s.spec().file.empty()) out << " (file " << s.spec().file << ")";
  out << ", seed " << s.seed() << ", " << s.agents() << " agents, original rounds [" << t0 << ", "
      << t1 << ") renumbered from 0\n"
      << "agents " << s.agents() << "\n"
      << "rounds " << (t1 - t0) << "\n";
  // Out-lists are ascending, so this order is (t, u, v).
  for (std::int64_t t = t0; t < t1; ++t) {
    const Digraph& g = s.round(t);
    for (int u = 0; u < g.agents(); ++u)
      for (const int* v = g.out_begin(u); v != g.out_end(u); ++v)
        if (*v != u) out << (t - t0) << ' ' << u << ' ' << *v << '\n';
  }
}

}  // namespace hyperpush::graph
