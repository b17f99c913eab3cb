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
// largest label + 1; class_names holds the header's names. The first line is the header when its
// first field is not a number, or when its first two fields are counts and it also has a field
// that is not a number, has another field count than the second line, or declares exactly the
// shape of the data below it (n_samples = the lines that follow, n_features = their field count -
// 1: "150,4,0,1,2" over iris with numbered classes); the data must then match the header. Blank
// lines are skipped; spaces around fields are ignored. Throws hyperpush::Error "<path>:<line>:
// <what is wrong>; <what is valid>" on a missing or unreadable file, an empty file, rows of
// different lengths, a field that is not a finite number, a label that is not a class index, or a
// header that does not match the data.
Dataset read_sklearn_csv(const std::string& path);

}  // namespace hyperpush::data
