#pragma once
// The [data] section of a config turned into training and test sets.
#include <cstdint>

#include "hyperpush/app/settings.hpp"
#include "hyperpush/data/split.hpp"

namespace hyperpush::app {

// Reads data.dataset (built-in or libsvm files), splits off data.test_fraction when the data set
// has no test part, and subsamples the training part to data.max_train; all seeded by `seed`.
// Throws hyperpush::Error for missing files, bad data, or a libsvm data set without data.train.
data::TrainTest load_train_test(const DataConfig& config, std::uint64_t seed);

}  // namespace hyperpush::app
