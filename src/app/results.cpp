#include "hyperpush/app/results.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "hyperpush/error.hpp"

namespace fs = std::filesystem;

namespace hyperpush::app {
namespace {

bool is_result_folder(const fs::path& dir) {
  std::error_code ec;
  return fs::exists(dir / ResultWriter::kMarker, ec) ||
         fs::exists(dir / "config.resolved.toml", ec);
}

bool process_alive(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }

// "HOST-PID": the staging folders' suffix. The host keeps a run on one node of a shared file
// system from taking another node's live folder for a dead one.
std::string process_tag() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(::getpid());
}

// `.NAME.partial-HOST-PID` and `.NAME.replaced-HOST-PID` next to `dir`, of this host, whose process
// is gone: left by a run that was killed.
void remove_stale_siblings(const fs::path& dir) {
  const std::string name = dir.filename().string();
  const std::string tag = process_tag(), host = tag.substr(0, tag.rfind('-') + 1);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir.parent_path(), ec)) {
    const std::string sibling = entry.path().filename().string();
    for (const std::string kind : {".partial-", ".replaced-"}) {
      const std::string prefix = "." + name + kind + host;
      if (sibling.rfind(prefix, 0) != 0) continue;
      const std::string pid = sibling.substr(prefix.size());
      if (pid.empty() || pid.size() > 9 || pid.find_first_not_of("0123456789") != std::string::npos)
        continue;
      if (!process_alive(std::stol(pid))) fs::remove_all(entry.path(), ec);
    }
  }
}

// Exchanges the names of two existing paths in one step (Linux renameat2); false where the file
// system cannot.
bool exchange_names(const fs::path& a, const fs::path& b) {
#ifdef RENAME_EXCHANGE
  return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0;
#else
  (void)a, (void)b;
  return false;
#endif
}

}  // namespace

ResultWriter::ResultWriter(std::string dir) : dir_(std::move(dir)) {
  if (dir_.empty())
    throw Error("the output folder name is empty; give a folder (--out DIR or output.dir)");
  const fs::path path = fs::absolute(dir_).lexically_normal();
  const fs::path target = path.filename().empty() ? path.parent_path() : path;
  target_ = target.string();
  std::error_code ec;
  if (fs::exists(target, ec) && !fs::is_directory(target, ec))
    throw Error(dir_ + ": exists and is not a folder; give a folder for the results");
  if (fs::is_directory(target, ec) && !fs::is_empty(target, ec) && !is_result_folder(target))
    throw Error(dir_ +
                ": the folder holds files no hyperpush run wrote; give a new or empty folder "
                "(a result folder of an earlier run is replaced as a whole)");
  for (fs::path p = target.parent_path(); !p.empty() && !fs::exists(p, ec); p = p.parent_path())
    created_parents_.push_back(p.string());
  fs::create_directories(target.parent_path(), ec);
  if (ec) throw Error(dir_ + ": cannot create the output folder (" + ec.message() + ")");
  remove_stale_siblings(target);
  staging_ =
      (target.parent_path() / ("." + target.filename().string() + ".partial-" + process_tag()))
          .string();
  fs::remove_all(staging_, ec);
  if (!fs::create_directory(staging_, ec))
    throw Error(staging_ + ": cannot create a staging folder for the results (" + ec.message() +
                ")");
}

ResultWriter::~ResultWriter() {
  streams_.clear();
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
  for (const auto& parent : created_parents_) fs::remove(parent, ec);  // only if empty
}

std::ofstream& ResultWriter::stream(const std::string& name) {
  auto it = streams_.find(name);
  if (it == streams_.end()) {
    const std::string path = (fs::path(staging_) / name).string();
    it = streams_.emplace(name, std::ofstream(path, std::ios::binary)).first;
    if (!it->second) throw Error(path + ": cannot write");
  }
  return it->second;
}

std::string ResultWriter::contents(const std::string& name) {
  auto it = streams_.find(name);
  if (it == streams_.end()) return "";
  it->second.flush();
  std::ifstream in(fs::path(staging_) / name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void ResultWriter::write(const std::string& name, const std::string& content) {
  std::ofstream& out = stream(name);
  out << content;
}

std::string ResultWriter::file_list() const {
  std::string list;
  for (const auto& [name, out] : streams_) list += (list.empty() ? "" : ", ") + name;
  return list;
}

void ResultWriter::commit() {
  write(kMarker, "hyperpush " HYPERPUSH_VERSION "\n");
  for (auto& [name, out] : streams_) {
    out.flush();
    if (!out) throw Error((fs::path(staging_) / name).string() + ": write failed (disk full?)");
    out.close();
  }
  streams_.erase(kMarker);  // not listed among the results
  const fs::path target = target_;
  std::error_code ec, ignored;
  if (!fs::exists(target, ec)) {
    fs::rename(staging_, target, ec);
  } else if (exchange_names(staging_, target)) {
    fs::remove_all(staging_, ignored);  // the earlier run's folder, now under the staging name
  } else {  // two renames: for a moment there is no folder, never a mixed one
    const fs::path replaced =
        target.parent_path() / ("." + target.filename().string() + ".replaced-" + process_tag());
    fs::rename(target, replaced, ec);
    if (!ec) fs::rename(staging_, target, ec);
    if (!ec) fs::remove_all(replaced, ignored);
  }
  if (ec) throw Error(dir_ + ": cannot move the results into place (" + ec.message() + ")");
  committed_ = true;
}

}  // namespace hyperpush::app
