#include "hyperpush/app/dataset_config.hpp"

#include <cstdio>
#include <string>

#include "hyperpush/data/builtin.hpp"
#include "hyperpush/data/libsvm.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::app {
namespace {

std::string label_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

// The labels a data set has, as its file writes them: "-1, 1" (the first 10, then "...").
std::string labels_of(const data::Dataset& data) {
  constexpr int kShown = 10;
  std::string out;
  for (int k = 0; k < data.classes && k < kShown; ++k)
    out +=
        (k == 0 ? "" : ", ") +
        label_text(data.label_values.empty() ? k : data.label_values[static_cast<std::size_t>(k)]);
  return data.classes > kShown ? out + ", ..." : out;
}

// LIBSVM readers number classes by the sorted label values of their own file: give the test file
// the training file's numbering (a test label the training data never saw is an error).
void align_labels(const data::Dataset& train, data::Dataset& test) {
  if (test.label_values.empty() && train.label_values.empty()) return;
  for (int& label : test.labels) {
    const double value = test.label_values.empty() ? label : test.label_values[label];
    int mapped = -1;
    for (std::size_t k = 0; k < train.label_values.size(); ++k)
      if (train.label_values[k] == value) mapped = static_cast<int>(k);
    if (train.label_values.empty() && value >= 0 && value < train.classes && value == int(value))
      mapped = static_cast<int>(value);
    if (mapped < 0)
      throw Error(test.source + ": label " + label_text(value) +
                  " does not occur in the training file " + train.source + "; valid: its labels " +
                  labels_of(train));
    label = mapped;
  }
  test.label_values = train.label_values;
  test.classes = train.classes;
}

}  // namespace

data::TrainTest load_train_test(const DataConfig& config, std::uint64_t seed) {
  const std::string name = name_of(config.dataset);
  data::TrainTest out;
  if (config.dataset == Dataset::libsvm) {
    if (config.train.empty())
      throw Error("data.train: data.dataset = \"libsvm\" needs a training file");
    if (config.test.empty()) {
      out =
          data::train_test_split(data::read_libsvm(config.train.path), config.test_fraction, seed);
    } else {
      out.train = data::read_libsvm(config.train.path);
      out.test = data::read_libsvm(config.test.path, out.train.cols);
      align_labels(out.train, out.test);
    }
  } else if (config.dataset == Dataset::fashion_mnist) {
    out.train = data::read_builtin(name, "train");
    out.test = data::read_builtin(name, "test");
  } else {
    out = data::train_test_split(data::read_builtin(name, "all"), config.test_fraction, seed);
  }
  const auto max_train = static_cast<std::size_t>(config.max_train);
  if (max_train > 0 && out.train.rows > max_train) {
    auto order = data::shuffled_indices(out.train.rows, seed, 1);
    order.resize(max_train);
    out.train = data::subset(out.train, order);
  }
  if (out.test.rows == 0)
    throw Error(
        "data.test_fraction = 0 leaves no test samples, and this task reports its results on "
        "them; valid: > 0 (e.g. 0.2), or a data.test file");
  return out;
}

}  // namespace hyperpush::app
