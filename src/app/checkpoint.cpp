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

constexpr const char* kManifest = "MANIFEST";

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

}  // namespace

bool changes_no_result(const std::string& key) {
  return key == "output.dir" || key == "output.progress" || key.rfind("checkpoint.", 0) == 0 ||
         key == "comm.timeout" || key == "comm.transport" || key.rfind("faults.stall_", 0) == 0;
}

Checkpoints::Checkpoints(const Config& config, const Settings& settings, const std::string& out_dir,
                         MPI_Comm comm, const comm::AgentMap& map)
    : comm_(comm),
      map_(map),
      every_(settings.checkpoint.every),
      dir_(settings.checkpoint.dir),
      task_(settings.task),
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
  for (const auto& state : local) rows.push_back(flatten_agent_state(state));
  const auto all = comm::gather_ragged_agents(comm::from_mpi(comm_), map_, rows);
  std::string error;
  if (rank_ == 0) {
    try {
      const std::string bytes = encode_checkpoint(task_, config_, step, shared, all);
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
  return decode_checkpoint(buffer.str(), path,
                           {task_, config_, map_.agents(), map_.first(rank_), map_.count(rank_)});
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
