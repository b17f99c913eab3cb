#include "hyperpush/app/checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hyperpush/app/interruption.hpp"
#include "hyperpush/comm/gather.hpp"
#include "hyperpush/comm/mpi_communicator.hpp"

namespace hyperpush::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kMagic = "hyperpush checkpoint\n";
constexpr const char* kManifest = "MANIFEST";

std::uint64_t fnv1a(const std::string& bytes) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

// Every results-relevant key with its value, in table order.
json results_config(const Config& config) {
  json keys = json::object();
  for (const auto& decl : config_keys()) {
    if (changes_no_result(decl.key)) continue;
    switch (decl.type) {
      case KeyType::integer:
        keys[decl.key] = config.integer(decl.key);
        break;
      case KeyType::real:
        keys[decl.key] = config.real(decl.key);
        break;
      case KeyType::string:
        keys[decl.key] = config.string(decl.key);
        break;
      case KeyType::boolean:
        keys[decl.key] = config.boolean(decl.key);
        break;
    }
  }
  return keys;
}

// `bytes` into dir/name, atomically: a hidden temporary file, fsync'd, renamed, the folder fsync'd.
void write_atomically(const std::string& dir, const std::string& name, const std::string& bytes) {
  const std::string temp = (fs::path(dir) / ("." + name + ".tmp")).string();
  const std::string path = (fs::path(dir) / name).string();
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(temp + ": cannot write the checkpoint (" + std::strerror(errno) + ")");
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      throw Error(temp + ": cannot write the checkpoint (" + why + ")");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(temp.c_str(), path.c_str()) != 0)
    throw Error(path + ": cannot write the checkpoint (" + std::strerror(errno) + ")");
  const int folder = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder >= 0) {
    ::fsync(folder);
    ::close(folder);
  }
}

// One agent's vectors as one row: [m, len_1 .. len_m, the vectors' numbers].
std::vector<double> flatten(const AgentState& state) {
  std::vector<double> row{static_cast<double>(state.size())};
  for (const auto& v : state) row.push_back(static_cast<double>(v.size()));
  for (const auto& v : state) row.insert(row.end(), v.begin(), v.end());
  return row;
}

// The inverse of flatten; false when the row is not one.
bool unflatten(const double* row, std::size_t size, AgentState& state) {
  if (size < 1 || row[0] < 0 || row[0] > static_cast<double>(size - 1)) return false;
  const auto m = static_cast<std::size_t>(row[0]);
  std::size_t at = 1 + m, total = 1 + m;
  state.assign(m, {});
  for (std::size_t k = 0; k < m; ++k) {
    if (row[1 + k] < 0 || row[1 + k] > static_cast<double>(size)) return false;
    total += static_cast<std::size_t>(row[1 + k]);
  }
  if (total != size) return false;
  for (std::size_t k = 0; k < m; ++k) {
    const auto n = static_cast<std::size_t>(row[1 + k]);
    state[k].assign(row + at, row + at + n);
    at += n;
  }
  return true;
}

template <typename T>
void append(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
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

bool changes_no_result(const std::string& key) {
  return key == "output.dir" || key == "output.progress" || key.rfind("checkpoint.", 0) == 0 ||
         key == "comm.timeout" || key.rfind("faults.stall_", 0) == 0;
}

Checkpoints::Checkpoints(const Config& config, const std::string& out_dir, MPI_Comm comm,
                         const comm::AgentMap& map)
    : comm_(comm),
      map_(map),
      every_(config.integer("checkpoint.every")),
      dir_(config.string("checkpoint.dir")),
      task_(config.string("task")),
      config_(results_config(config)) {
  MPI_Comm_rank(comm, &rank_);
  if (dir_.empty()) {
    std::string out = out_dir;
    while (out.size() > 1 && out.back() == '/') out.pop_back();
    dir_ = out + ".checkpoint";
  }
}

std::string Checkpoints::file_name(std::int64_t step) const {
  char name[48];
  std::snprintf(name, sizeof name, "step-%09lld.ckpt", static_cast<long long>(step));
  return name;
}

void Checkpoints::write(std::int64_t step, const json& shared,
                        const std::vector<AgentState>& local) const {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::vector<double>> rows;
  rows.reserve(local.size());
  for (const auto& state : local) rows.push_back(flatten(state));
  const auto all = comm::gather_ragged_agents(comm::from_mpi(comm_), map_, rows);
  std::string error;
  if (rank_ == 0) {
    try {
      const std::string state = shared.dump();
      json header = {{"format", kFormat},       {"version", HYPERPUSH_VERSION},
                     {"task", task_},           {"step", step},
                     {"agents", map_.agents()}, {"shared_bytes", state.size()},
                     {"config", config_}};
      std::string bytes = kMagic + header.dump() + "\n" + state;
      for (const auto& row : all) {
        append(bytes, static_cast<std::uint64_t>(row.size()));
        bytes.append(reinterpret_cast<const char*>(row.data()), row.size() * sizeof(double));
      }
      append(bytes, fnv1a(bytes));
      std::error_code ec;
      fs::create_directories(dir_, ec);
      if (ec) throw Error(dir_ + ": cannot create the checkpoint folder (" + ec.message() + ")");
      const std::string name = file_name(step);
      write_atomically(dir_, name, bytes);
      write_atomically(dir_, kManifest, name + "\n");
      last_bytes_ = bytes.size();
      for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        const std::string other = entry.path().filename().string();
        if (other != name && other.rfind("step-", 0) == 0) fs::remove(entry.path(), ec);
      }
    } catch (const Error& e) {
      error = e.what();
    }
  }
  int length = static_cast<int>(error.size());
  MPI_Bcast(&length, 1, MPI_INT, 0, comm_);
  error.resize(length);
  MPI_Bcast(error.data(), length, MPI_CHAR, 0, comm_);
  if (!error.empty()) throw Error(error, kExitBadInput, true);
  ++written_;
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

json Checkpoints::facts() const {
  return {{"written", written_}, {"last_bytes", last_bytes_}, {"seconds", seconds_}};
}

Checkpoint Checkpoints::load() const {
  const std::string manifest = (fs::path(dir_) / kManifest).string();
  std::ifstream list(manifest);
  std::string name;
  if (!list || !std::getline(list, name) || name.empty())
    throw Error("--resume: no checkpoint in " + dir_ + " (no " + kManifest +
                "); run without --resume to start from the beginning");
  const std::string path = (fs::path(dir_) / name).string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("checkpoint " + path + ": missing (" + manifest + " names it)");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string bytes = buffer.str();
  const auto refuse = [&](const std::string& why) {
    return Error("checkpoint " + path + ": " + why);
  };
  const std::size_t magic = std::strlen(kMagic);
  if (bytes.compare(0, magic, kMagic) != 0) throw refuse("not a hyperpush checkpoint");
  const std::size_t eol = bytes.find('\n', magic);
  if (eol == std::string::npos) throw refuse("truncated (no header)");
  const json header = json::parse(bytes.begin() + magic, bytes.begin() + eol, nullptr, false);
  if (header.is_discarded() || !header.is_object() || !header.contains("format"))
    throw refuse("corrupt (unreadable header)");
  if (header["format"] != kFormat)
    throw refuse("format version " + header["format"].dump() + ", this hyperpush reads " +
                 std::to_string(kFormat) + " only; start without --resume");
  if (header.value("task", "") != task_)
    throw refuse("written by task '" + header.value("task", "") + "', this config runs '" + task_ +
                 "'");
  const std::string differs = first_difference(header.value("config", json::object()), config_);
  if (!differs.empty())
    throw refuse("written by another config (" + differs +
                 "); resume with the config it was written with");
  if (header.value("version", "") != HYPERPUSH_VERSION)
    throw refuse("written by hyperpush " + header.value("version", "") + ", this is " +
                 HYPERPUSH_VERSION + "; resume with the version that wrote it");
  if (bytes.size() < eol + 1 + sizeof(std::uint64_t)) throw refuse("truncated");
  const std::size_t body = bytes.size() - sizeof(std::uint64_t);
  std::uint64_t checksum = 0;
  std::memcpy(&checksum, bytes.data() + body, sizeof checksum);
  // Size before checksum: a cut file reads as truncated, a changed byte as corrupt.
  const std::size_t shared_bytes = header.value("shared_bytes", std::size_t{0});
  std::size_t at = eol + 1 + shared_bytes;
  const int agents = header.value("agents", 0);
  std::vector<std::pair<std::size_t, std::size_t>> rows;  // offset, count
  bool truncated = at > body;
  for (int i = 0; i < agents && !truncated; ++i) {
    std::uint64_t count = 0;
    truncated = at + sizeof count > body;
    if (truncated) break;
    std::memcpy(&count, bytes.data() + at, sizeof count);
    at += sizeof count;
    truncated = count > (body - at) / sizeof(double);
    rows.emplace_back(at, count);
    at += count * sizeof(double);
  }
  if (truncated) throw refuse("truncated (" + std::to_string(bytes.size()) + " bytes)");
  if (at != body)
    throw refuse("corrupt (" + std::to_string(body - at) + " bytes past the last agent)");
  if (fnv1a(bytes.substr(0, body)) != checksum) throw refuse("corrupt (checksum mismatch)");
  if (agents != map_.agents())
    throw refuse("holds " + std::to_string(agents) + " agents, this run has " +
                 std::to_string(map_.agents()));
  Checkpoint checkpoint;
  checkpoint.step = header.value("step", std::int64_t{0});
  checkpoint.shared = json::parse(bytes.substr(eol + 1, shared_bytes), nullptr, false);
  if (checkpoint.shared.is_discarded()) throw refuse("corrupt (unreadable state)");
  const int first = map_.first(rank_);
  for (int i = first; i < first + map_.count(rank_); ++i) {
    std::vector<double> row(rows[i].second);  // aligned
    std::memcpy(row.data(), bytes.data() + rows[i].first, row.size() * sizeof(double));
    AgentState state;
    if (!unflatten(row.data(), row.size(), state))
      throw refuse("corrupt (agent " + std::to_string(i) + "'s record)");
    checkpoint.agents.push_back(std::move(state));
  }
  return checkpoint;
}

void Checkpoints::remove() const {
  if (rank_ != 0 || !enabled()) return;
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

bool Checkpoints::preempt_requested() const {
  int local = preemption_signalled() ? 1 : 0, any = 0;
  MPI_Allreduce(&local, &any, 1, MPI_INT, MPI_MAX, comm_);
  return any != 0;
}

void Checkpoints::at_boundary(std::int64_t step,
                              const std::function<void(std::int64_t)>& save) const {
  if (!enabled()) return;
  const bool preempt = preempt_requested();
  if (preempt || step % every_ == 0) save(step);
  if (preempt)
    throw Preempted("preempted at step " + std::to_string(step) + ", checkpoint in " + dir_);
}

}  // namespace hyperpush::app
