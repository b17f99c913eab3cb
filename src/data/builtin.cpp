#include "hyperpush/data/builtin.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "hyperpush/data/idx.hpp"
#include "hyperpush/data/sklearn_csv.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::data {
namespace {

const char* const kFashionDir = "usr/share/datasets/fashion-mnist/";
const char* const kSklearnDir = "usr/lib/python3/dist-packages/sklearn/datasets/data/";

enum class Format { kIdx, kSklearnCsv };

struct Part {
  std::string name;
  std::vector<std::string> files;  // relative to the root; IDX: images, then labels
};

struct Builtin {
  std::string name;
  std::string package;
  Format format;
  std::vector<Part> parts;
  std::vector<std::string> class_names;  // when the files do not name the classes
};

const std::vector<Builtin>& builtins() {
  static const std::vector<Builtin> table = [] {
    const std::string fashion = kFashionDir;
    const std::string sklearn = kSklearnDir;
    return std::vector<Builtin>{
        {"fashion-mnist",
         "dataset-fashion-mnist",
         Format::kIdx,
         {{"train",
           {fashion + "train-images-idx3-ubyte.gz", fashion + "train-labels-idx1-ubyte.gz"}},
          {"test", {fashion + "t10k-images-idx3-ubyte.gz", fashion + "t10k-labels-idx1-ubyte.gz"}}},
         // Label names from github.com/zalandoresearch/fashion-mnist, README section "Labels".
         {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
          "Bag", "Ankle boot"}},
        {"breast-cancer",
         "python3-sklearn",
         Format::kSklearnCsv,
         {{"all", {sklearn + "breast_cancer.csv"}}},
         {}},
        {"digits",
         "python3-sklearn",
         Format::kSklearnCsv,
         {{"all", {sklearn + "digits.csv.gz"}}},
         {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
        {"wine",
         "python3-sklearn",
         Format::kSklearnCsv,
         {{"all", {sklearn + "wine_data.csv"}}},
         {}},
        {"iris", "python3-sklearn", Format::kSklearnCsv, {{"all", {sklearn + "iris.csv"}}}, {}},
    };
  }();
  return table;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

const std::vector<std::string>& builtin_dataset_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Builtin& builtin : builtins()) out.push_back(builtin.name);
    return out;
  }();
  return names;
}

std::string builtin_data_root() {
  const char* root = std::getenv("HYPERPUSH_DATA_ROOT");
  return root != nullptr && *root != '\0' ? root : "/";
}

Dataset read_builtin(const std::string& name, const std::string& part, const std::string& root) {
  const Builtin* builtin = nullptr;
  for (const Builtin& candidate : builtins())
    if (candidate.name == name) builtin = &candidate;
  if (builtin == nullptr)
    throw Error("unknown data set \"" + name + "\"; valid names: " + join(builtin_dataset_names()));

  const Part* chosen = nullptr;
  std::vector<std::string> part_names;
  for (const Part& candidate : builtin->parts) {
    part_names.push_back(candidate.name);
    if (candidate.name == part) chosen = &candidate;
  }
  if (chosen == nullptr)
    throw Error("data set \"" + name + "\" has no part \"" + part +
                "\"; valid parts: " + join(part_names));

  std::vector<std::string> paths;
  for (const std::string& file : chosen->files) {
    paths.push_back((std::filesystem::path(root) / file).string());
    std::error_code ec;
    if (!std::filesystem::exists(paths.back(), ec))
      throw Error(paths.back() + ": no such file; data set \"" + name +
                  "\" comes with the Debian package " + builtin->package +
                  ": run scripts/install-deps.sh");
  }

  Dataset data =
      builtin->format == Format::kIdx ? read_idx(paths[0], paths[1]) : read_sklearn_csv(paths[0]);
  if (data.class_names.empty() &&
      builtin->class_names.size() == static_cast<std::size_t>(data.classes))
    data.class_names = builtin->class_names;
  return data;
}

}  // namespace hyperpush::data
