#pragma once
// The real data sets that Debian packages install, read by name with no download (see
// scripts/install-deps.sh for the packages):
//   fashion-mnist  parts "train" (60000) and "test" (10000), 784 features, 10 classes
//                  (package dataset-fashion-mnist, IDX files in /usr/share/datasets/fashion-mnist/)
//   breast-cancer  part "all", 569 × 30, 2 classes      (package python3-sklearn, CSV files in
//   digits         part "all", 1797 × 64, 10 classes     /usr/lib/python3/dist-packages/
//   wine           part "all", 178 × 13, 3 classes       sklearn/datasets/data/)
//   iris           part "all", 150 × 4, 3 classes
#include <string>
#include <vector>

#include "hyperpush/data/dataset.hpp"

namespace hyperpush::data {

// The names read_builtin accepts, in the order above.
const std::vector<std::string>& builtin_dataset_names();

// The directory the Debian paths are taken relative to: $HYPERPUSH_DATA_ROOT when set and not
// empty (packages unpacked without root, e.g. `dpkg -x python3-sklearn_*.deb ~/debian`), else "/".
std::string builtin_data_root();

// Reads part `part` of data set `name`, with its class names, from under `root`. Throws
// hyperpush::Error on an unknown name or part (listing the valid ones), on a missing file (naming
// the Debian package that provides it), and on anything the file readers reject.
Dataset read_builtin(const std::string& name, const std::string& part,
                     const std::string& root = builtin_data_root());

}  // namespace hyperpush::data
