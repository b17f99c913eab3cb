#include "hyperpush/app/results.hpp"

#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "hyperpush/error.hpp"

namespace fs = std::filesystem;

namespace hyperpush::app {

ResultWriter::ResultWriter(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec || !fs::is_directory(dir_))
    throw Error(dir_ + ": cannot create the output folder (" + ec.message() + ")");
  staging_ = (fs::path(dir_) / (".partial-" + std::to_string(::getpid()))).string();
  fs::remove_all(staging_, ec);
  if (!fs::create_directory(staging_, ec))
    throw Error(staging_ + ": cannot create a staging folder for the results (" + ec.message() +
                ")");
}

ResultWriter::~ResultWriter() {
  streams_.clear();
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
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
  for (auto& [name, out] : streams_) {
    out.flush();
    if (!out) throw Error((fs::path(staging_) / name).string() + ": write failed (disk full?)");
    out.close();
  }
  for (const auto& [name, out] : streams_) {
    std::error_code ec;
    fs::rename(fs::path(staging_) / name, fs::path(dir_) / name, ec);
    if (ec)
      throw Error((fs::path(dir_) / name).string() + ": cannot move result into place (" +
                  ec.message() + ")");
  }
  streams_.clear();
  std::error_code ec;
  fs::remove_all(staging_, ec);
  committed_ = true;
}

}  // namespace hyperpush::app
