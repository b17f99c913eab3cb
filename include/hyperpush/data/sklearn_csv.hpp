#pragma once
// Reader for the CSV files scikit-learn bundles in sklearn/datasets/data/ (breast_cancer.csv,
// iris.csv, wine_data.csv, digits.csv.gz): one sample per line, the features then an integer class
// label, comma-separated. Optionally a first line "n_samples,n_features,class name 0,class name
// 1,..." as sklearn.datasets._base.load_csv_data reads it (digits has none). Files may be
// gzip-compressed (.gz) or plain.
#include <string>

#include "hyperpush/data/dataset.hpp"

namespace hyperpush::data {

// Labels must be integers from 0; classes = the number of class names the header declares, or else
// largest label + 1; class_names holds the header's names. The first line is the header when it has
// a field that is not a number, when its field count differs from the second line's, or when it
// declares exactly the shape of the data below it (n_samples = the remaining lines, n_features =
// their field count - 1); the header's shape must then match the data. Blank lines are skipped;
// spaces around fields are ignored. Throws hyperpush::Error "<path>:<line>: <what is wrong>; <what
// is valid>" on a missing or unreadable file, an empty file, rows of different lengths, a field that
// is not a finite number, a label that is not a class index, or a header that does not match.
Dataset read_sklearn_csv(const std::string& path);

}  // namespace hyperpush::data
