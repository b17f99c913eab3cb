#include "hyperpush/app/settings.hpp"

#include <algorithm>
#include <exception>
#include <initializer_list>
#include <stdexcept>

#include "hyperpush/app/config.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::app {
namespace {

// One table per enum, built on first use.
template <class E>
const std::vector<Choice<E>>& table(std::initializer_list<Choice<E>> choices) {
  static const std::vector<Choice<E>> made(choices);
  return made;
}

// The bilevel layer names its methods (in its messages too); the tables follow its lists.
template <class E>
std::vector<Choice<E>> indexed(const std::vector<std::string>& names) {
  std::vector<Choice<E>> table;
  for (std::size_t k = 0; k < names.size(); ++k)
    table.push_back({static_cast<E>(k), names[k].c_str()});
  return table;
}

}  // namespace

template <>
const std::vector<Choice<ProblemKind>>& choices() {
  return table<ProblemKind>({{ProblemKind::model, "model"}, {ProblemKind::quadratic, "quadratic"}});
}

template <>
const std::vector<Choice<ModelKind>>& choices() {
  return table<ModelKind>({{ModelKind::logistic, "logistic"},
                           {ModelKind::softmax, "softmax"},
                           {ModelKind::ridge, "ridge"},
                           {ModelKind::mlp, "mlp"},
                           {ModelKind::cnn, "cnn"},
                           {ModelKind::torchscript, "torchscript"}});
}

template <>
const std::vector<Choice<model::HyperKind>>& choices() {
  return table<model::HyperKind>({{model::HyperKind::l2, "l2"},
                                  {model::HyperKind::per_feature, "per-feature"},
                                  {model::HyperKind::per_sample, "per-sample"},
                                  {model::HyperKind::per_class, "per-class"}});
}

template <>
const std::vector<Choice<Backend>>& choices() {
  return table<Backend>(
      {{Backend::eigen, "eigen"}, {Backend::torch, "torch"}, {Backend::cuda, "cuda"}});
}

template <>
const std::vector<Choice<Activation>>& choices() {
  return table<Activation>({{Activation::tanh, "tanh"}, {Activation::softplus, "softplus"}});
}

template <>
const std::vector<Choice<Device>>& choices() {
  return table<Device>({{Device::automatic, "auto"}, {Device::cpu, "cpu"}, {Device::cuda, "cuda"}});
}

template <>
const std::vector<Choice<Dataset>>& choices() {
  return table<Dataset>({{Dataset::fashion_mnist, "fashion-mnist"},
                         {Dataset::breast_cancer, "breast-cancer"},
                         {Dataset::digits, "digits"},
                         {Dataset::wine, "wine"},
                         {Dataset::iris, "iris"},
                         {Dataset::libsvm, "libsvm"},
                         {Dataset::synthetic_mixture, "synthetic-mixture"}});
}

template <>
const std::vector<Choice<Partition>>& choices() {
  return table<Partition>({{Partition::iid, "iid"}, {Partition::dirichlet, "dirichlet"}});
}

template <>
const std::vector<Choice<bilevel::InnerMethod>>& choices() {
  static const auto table = indexed<bilevel::InnerMethod>(bilevel::inner_method_names());
  return table;
}

template <>
const std::vector<Choice<bilevel::HypergradientMethod>>& choices() {
  static const auto table =
      indexed<bilevel::HypergradientMethod>(bilevel::hypergradient_method_names());
  return table;
}

template <>
const std::vector<Choice<bilevel::Series>>& choices() {
  static const auto table = indexed<bilevel::Series>(bilevel::series_names());
  return table;
}

template <>
const std::vector<Choice<Optimizer>>& choices() {
  return table<Optimizer>({{Optimizer::adam, "adam"}, {Optimizer::sgd, "sgd"}});
}

template <>
const std::vector<Choice<tree::LearnerKind>>& choices() {
  return table<tree::LearnerKind>(
      {{tree::LearnerKind::stable, "stable"}, {tree::LearnerKind::cart, "cart"}});
}

template <>
const std::vector<Choice<comm::Transport>>& choices() {
  return table<comm::Transport>({{comm::Transport::automatic, "auto"},
                                 {comm::Transport::shared, "shared"},
                                 {comm::Transport::messages, "messages"}});
}

template <>
const std::vector<Choice<comm::ConsensusMode>>& choices() {
  return table<comm::ConsensusMode>(
      {{comm::ConsensusMode::sync, "sync"}, {comm::ConsensusMode::async, "async"}});
}

std::vector<int> Widths::values() const {
  std::vector<int> widths;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    std::size_t used = 0;
    int width = 0;
    try {
      width = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || item.find_first_not_of(" ", used) != std::string::npos || width < 1)
      throw ConfigError(key + ": \"" + text +
                        "\" is invalid; expected widths >= 1 separated by commas, e.g. \"64,32\"");
    widths.push_back(width);
    start = comma + 1;
  }
  return widths;
}

Settings read_settings(const Config& config) {
  Settings settings;
  for (const KeyDecl& decl : config_keys()) decl.store(config, settings);
  return settings;
}

}  // namespace hyperpush::app
