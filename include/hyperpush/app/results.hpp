#pragma once
// The files of one run, written so that a reader never sees half a result: everything is staged in
// a hidden folder next to the destination and moved into place (one rename per file) by commit().
// A run that fails leaves the destination as it was.
#include <fstream>
#include <map>
#include <string>

namespace hyperpush::app {

class ResultWriter {
 public:
  // Creates `dir` (and parents) and the staging folder; throws hyperpush::Error when it cannot.
  explicit ResultWriter(std::string dir);
  ~ResultWriter();
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  const std::string& dir() const { return dir_; }
  // The staged files' names, comma-separated, for the closing line of a run.
  std::string file_list() const;

  // A staged file to stream into (metrics.jsonl), opened on first use.
  std::ofstream& stream(const std::string& name);
  // A whole staged file.
  void write(const std::string& name, const std::string& content);
  // Moves every staged file into dir(), then removes the staging folder.
  void commit();

 private:
  std::string dir_, staging_;
  std::map<std::string, std::ofstream> streams_;
  bool committed_ = false;
};

}  // namespace hyperpush::app
