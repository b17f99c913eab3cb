#pragma once
// A labelled data set in memory: dense row-major features and integer class labels.
#include <cstddef>
#include <string>
#include <vector>

namespace hyperpush::data {

struct Dataset {
  std::string source;            // file(s) it was read from, for messages
  std::size_t rows = 0;          // samples
  std::size_t cols = 0;          // features
  std::vector<double> features;  // rows × cols, row-major
  std::vector<int> labels;       // one per row, in [0, classes)
  int classes = 0;
  // Name of each class, indexed by label, when the file or the data set declares them; else empty.
  std::vector<std::string> class_names;
  // Original label value of each class, indexed by label, when the file's labels were not already
  // 0, 1, 2, ... (LIBSVM: -1/+1 becomes 0/1, so label_values = {-1, 1}); else empty.
  std::vector<double> label_values;

  const double* row(std::size_t r) const { return features.data() + r * cols; }
};

}  // namespace hyperpush::data
