#pragma once
// The files of one run, written so that a reader never sees half a result, and a result folder
// never mixes two runs. Everything is staged in a hidden sibling of the destination
// (`.NAME.partial-HOST-PID`) and swapped in as a whole by commit(): a folder written by an earlier
// run is replaced, never merged into. A run that fails or is interrupted leaves the destination as
// it was and no folder behind (the destination's parents it had to create are removed again).
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace hyperpush::app {

class ResultWriter {
 public:
  // Refuses (hyperpush::Error, before any work) an empty name, a destination that is a file, and a
  // non-empty folder that no hyperpush run wrote (it has neither kMarker nor config.resolved.toml).
  // Removes the staging folders of dead processes next to the destination, and creates its own.
  explicit ResultWriter(std::string dir);
  ~ResultWriter();
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  // The file that marks a folder as a hyperpush result folder.
  static constexpr const char* kMarker = ".hyperpush-results";

  const std::string& dir() const { return dir_; }
  const std::string& staging() const { return staging_; }
  // The staged files' names, comma-separated, for the closing line of a run.
  std::string file_list() const;

  // A staged file to stream into (metrics.jsonl), opened on first use.
  std::ofstream& stream(const std::string& name);
  // A whole staged file.
  void write(const std::string& name, const std::string& content);
  // What a staged file holds so far (streams flushed first); "" for a file not written.
  std::string contents(const std::string& name);
  // Swaps the staged folder into dir() (atomically where the kernel can exchange two names) and
  // removes what was there before.
  void commit();

 private:
  std::string dir_, target_, staging_;        // target_: dir_ made absolute
  std::vector<std::string> created_parents_;  // deepest first
  std::map<std::string, std::ofstream> streams_;
  bool committed_ = false;
};

}  // namespace hyperpush::app
