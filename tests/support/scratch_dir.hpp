#pragma once
// A fresh directory for the files one test writes (fixtures easier to read as bytes in the test
// than as committed files), removed when the test ends. Shared by the layers' unit tests.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace hyperpush::test {

class ScratchDir {
 public:
  ScratchDir() {
    const auto* test = testing::UnitTest::GetInstance()->current_test_info();
    // Test name and process id: ctest runs the tests of this binary in parallel processes.
    root_ = std::filesystem::temp_directory_path() /
            ("hyperpush_" + std::string(test->test_suite_name()) + "_" + test->name() + "_" +
             std::to_string(getpid()));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string path(const std::string& file) const { return (root_ / file).string(); }

  // Writes `bytes` to `file` in the directory and returns its path.
  std::string write(const std::string& file, const std::string& bytes) const {
    std::ofstream(path(file), std::ios::binary) << bytes;
    return path(file);
  }

 private:
  std::filesystem::path root_;
};

}  // namespace hyperpush::test
