// A result folder holds one run: staged beside the destination, swapped in whole, nothing left by a
// run that fails; foreign folders refused; the staging folders of dead processes removed.
#include "hyperpush/app/results.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "hyperpush/error.hpp"
#include "support/scratch_dir.hpp"

namespace hyperpush::app {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::set<std::string> entries(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string host() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  return name;
}

TEST(ResultWriter, NothingAppearsUntilCommitAndNothingIsLeftWithout) {
  test::ScratchDir scratch;
  const std::string out = scratch.path("a/b/out");
  {
    ResultWriter writer(out);
    writer.write("summary.json", "{}\n");
    EXPECT_FALSE(fs::exists(out));  // staged beside it, not in it
    EXPECT_TRUE(fs::exists(writer.staging()));
  }
  EXPECT_FALSE(fs::exists(scratch.path("a")));  // the parents it created are gone again
}

TEST(ResultWriter, StagedFilesReadBackAndArriveByteForByte) {
  test::ScratchDir scratch;
  const std::string out = scratch.path("out");
  ResultWriter writer(out);
  std::ofstream& metrics = writer.stream("metrics.jsonl");
  metrics << "{\"round\":0}\n";
  EXPECT_EQ(&writer.stream("metrics.jsonl"), &metrics);  // one stream per file
  writer.stream("metrics.jsonl") << "{\"round\":1}\n";
  writer.write("summary.json", "{}\n");
  // A checkpoint reads what a stream holds so far (flushed first); a file not written is empty.
  EXPECT_EQ(writer.contents("metrics.jsonl"), "{\"round\":0}\n{\"round\":1}\n");
  EXPECT_EQ(writer.contents("tree.json"), "");
  EXPECT_EQ(writer.file_list(), "metrics.jsonl, summary.json");
  writer.commit();
  EXPECT_EQ(read(out + "/metrics.jsonl"), "{\"round\":0}\n{\"round\":1}\n");
  EXPECT_EQ(read(out + "/summary.json"), "{}\n");
  EXPECT_THAT(read(out + "/" + ResultWriter::kMarker), HasSubstr("hyperpush "));
}

TEST(ResultWriter, ACommittedFolderReplacesTheEarlierRunWhole) {
  test::ScratchDir scratch;
  const std::string out = scratch.path("out");
  {
    ResultWriter first(out);
    first.write("tree.json", "1\n");
    first.write("config.resolved.toml", "x = 1\n");
    first.commit();
  }
  EXPECT_EQ(entries(out),
            (std::set<std::string>{".hyperpush-results", "config.resolved.toml", "tree.json"}));
  {
    ResultWriter second(out);
    second.write("metrics.jsonl", "2\n");
    EXPECT_EQ(second.file_list(), "metrics.jsonl");
    second.commit();
  }
  EXPECT_EQ(entries(out), (std::set<std::string>{".hyperpush-results", "metrics.jsonl"}));
  EXPECT_EQ(read(out + "/metrics.jsonl"), "2\n");
  EXPECT_EQ(entries(scratch.path("")), std::set<std::string>{"out"});  // no staging left
}

TEST(ResultWriter, RefusesAFolderNoRunWrote) {
  test::ScratchDir scratch;
  fs::create_directories(scratch.path("mine"));
  scratch.write("mine/notes.txt", "keep me");
  try {
    ResultWriter writer(scratch.path("mine"));
    FAIL() << "accepted a foreign folder";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("mine: the folder holds files no hyperpush run wrote"));
    EXPECT_EQ(e.exit_code(), kExitBadInput);
  }
  EXPECT_EQ(entries(scratch.path("mine")), std::set<std::string>{"notes.txt"});
  EXPECT_THROW(ResultWriter(scratch.write("file", "x")), Error);  // a file, not a folder
  EXPECT_THROW(ResultWriter(""), Error);
}

TEST(ResultWriter, RemovesTheStagingFoldersOfDeadProcessesOnThisHost) {
  test::ScratchDir scratch;
  const std::string dead = ".out.partial-" + host() + "-999999999";
  const std::string other_host = ".out.partial-elsewhere.example-999999999";
  const std::string alive = ".out.partial-" + host() + "-" + std::to_string(getppid());
  for (const auto& name : {dead, other_host, alive}) fs::create_directories(scratch.path(name));
  ResultWriter writer(scratch.path("out"));
  EXPECT_FALSE(fs::exists(scratch.path(dead)));
  EXPECT_TRUE(fs::exists(scratch.path(other_host)));  // maybe a live run on another node
  EXPECT_TRUE(fs::exists(scratch.path(alive)));
}

}  // namespace
}  // namespace hyperpush::app
