#pragma once
// Reader for the LIBSVM / SVMlight text format of the LIBSVM data sets (covtype, ijcnn1, a9a, ...;
// https://www.csie.ntu.edu.tw/~cjlin/libsvmtools/datasets/): one sample per line,
// "<label> <index>:<value> <index>:<value> ...", indices from 1 and strictly ascending, absent
// indices meaning 0. Files may be gzip-compressed (.gz) or plain.
#include <cstddef>
#include <string>

#include "hyperpush/data/dataset.hpp"

namespace hyperpush::data {

// Stores the samples densely with cols = `features`, or the largest index in the file when
// `features` is 0 (pass the data set's documented count so that a training and a test file agree).
// The distinct label values, sorted, become classes 0, 1, ..., k-1 (-1/+1 → 0/1, 1/2/3 → 0/1/2),
// and label_values keeps them. Tokens are separated by spaces or tabs; blank lines are skipped.
// Throws hyperpush::Error "<path>:<line>: <what is wrong>; <what is valid>" on a missing or
// unreadable file, an empty file, a token that is not index:value, an index that is 0, not
// ascending or above `features`, a label or value that is not a finite number, or a "#" comment
// (SVMlight's, which LIBSVM does not have).
Dataset read_libsvm(const std::string& path, std::size_t features = 0);

}  // namespace hyperpush::data
