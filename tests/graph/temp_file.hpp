#pragma once
// A file under GoogleTest's temporary folder, named after the running test, removed at scope exit.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace hyperpush::graph::test {

class TempFile {
 public:
  explicit TempFile(const std::string& suffix, const std::string& contents = "") {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "_" + info->name() + "_" + suffix;
    for (char& c : name)
      if (c == '/') c = '_';  // parameterized test names hold '/'
    path_ = ::testing::TempDir() + "hyperpush_" + name;
    std::ofstream(path_) << contents;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace hyperpush::graph::test
