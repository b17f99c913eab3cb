// The config read typed: every key lands in its field of Settings with its declared default, the
// choices are enums named by one table, files keep both what was written and the resolved path,
// and widths are checked where they are used, naming the key.
#include "hyperpush/app/settings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "hyperpush/app/config.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::app {
namespace {

using ::testing::StrEq;
using ::testing::ThrowsMessage;

TEST(Settings, EveryDeclaredKeyHasAField) {
  for (const KeyDecl& decl : config_keys()) EXPECT_TRUE(decl.store) << decl.key;
}

TEST(Settings, DefaultsAreTheTablesInEverySection) {
  const Settings s = read_settings(Config::defaults());
  EXPECT_EQ(s.task, "average");
  EXPECT_EQ(s.seed, 0u);
  EXPECT_EQ(s.threads, 1);
  EXPECT_EQ(s.topology.kind, "random-directed");
  EXPECT_EQ(s.topology.check_rounds, 64);
  EXPECT_EQ(s.problem.kind, ProblemKind::model);
  EXPECT_EQ(s.model.kind, ModelKind::logistic);
  EXPECT_EQ(s.model.device, Device::automatic);
  EXPECT_EQ(s.model.hidden.text, "32");
  EXPECT_EQ(s.data.dataset, Dataset::breast_cancer);
  EXPECT_EQ(s.inner.method, bilevel::InnerMethod::push_diging);
  EXPECT_EQ(s.inner.mixing_rounds, 0);  // the table's "automatic", not InnerOptions' 1
  EXPECT_EQ(s.hypergradient.method, bilevel::HypergradientMethod::hgp);
  EXPECT_EQ(s.hypergradient.depth, 100);
  EXPECT_EQ(s.outer.optimizer, Optimizer::adam);
  EXPECT_EQ(s.tree.kind, tree::LearnerKind::stable);
  EXPECT_EQ(s.explain.relevance.damping, 0.01);
  EXPECT_EQ(s.explain.training.max_iterations, 500);
  EXPECT_EQ(s.exchange.timeout, 120.0);
  EXPECT_EQ(s.exchange.stall_rank, -1);
  EXPECT_EQ(s.output.dir, "results");
  EXPECT_EQ(s.checkpoint.every, 0);
}

TEST(Settings, OverridesLandTypedInNestedFields) {
  const Settings s = read_settings(Config::defaults(
      {"seed=9007199254740992", "inner.solver=gradient-push", "hypergradient.method=server-neumann",
       "model.hyper=per-class", "model.device=cpu", "data.dataset=synthetic-mixture",
       "tree.learner=cart", "explain.model=cnn", "explain.train_iterations=7",
       "explain.projection_dim=3", "faults.stall_round=11", "consensus.robust=true",
       "average.dim=5", "inner.require_convergence=true"}));
  EXPECT_EQ(s.seed, 9007199254740992u);
  EXPECT_EQ(s.inner.method, bilevel::InnerMethod::gradient_push);
  EXPECT_EQ(s.hypergradient.method, bilevel::HypergradientMethod::server_neumann);
  EXPECT_EQ(s.model.hyper, model::HyperKind::per_class);
  EXPECT_EQ(s.model.device, Device::cpu);
  EXPECT_EQ(s.data.dataset, Dataset::synthetic_mixture);
  EXPECT_EQ(s.tree.kind, tree::LearnerKind::cart);
  EXPECT_EQ(s.explain.model, ModelKind::cnn);
  EXPECT_EQ(s.explain.training.max_iterations, 7);
  EXPECT_EQ(s.explain.relevance.projection_dim, 3);
  EXPECT_EQ(s.exchange.stall_round, 11);
  EXPECT_TRUE(s.exchange.robust);
  EXPECT_EQ(s.average.dim, 5);
  EXPECT_TRUE(s.inner.require_convergence);
}

// The key table's choices are the enum's names: each parses to its own value and back.
template <class E>
void expect_round_trip(const char* key) {
  std::set<E> seen;
  const auto& decls = config_keys();
  const auto decl = std::find_if(decls.begin(), decls.end(),
                                 [&](const KeyDecl& d) { return d.key == key; });
  ASSERT_NE(decl, decls.end()) << key;
  for (const std::string& name : decl->choices) {
    Settings s;
    decl->store(Config::defaults({std::string(key) + "=" + name}), s);
    const Choice<E>* found = nullptr;
    for (const Choice<E>& c : choices<E>())
      if (c.name == name) found = &c;
    ASSERT_NE(found, nullptr) << key << " = " << name;
    EXPECT_STREQ(name_of(found->value), name.c_str());
    EXPECT_TRUE(seen.insert(found->value).second) << name;
  }
}

TEST(Settings, ChoicesAreEnumsWithOneNameTable) {
  expect_round_trip<ProblemKind>("problem.kind");
  expect_round_trip<ModelKind>("model.kind");
  expect_round_trip<model::HyperKind>("model.hyper");
  expect_round_trip<Backend>("model.backend");
  expect_round_trip<Activation>("model.activation");
  expect_round_trip<Device>("model.device");
  expect_round_trip<Dataset>("data.dataset");
  expect_round_trip<Partition>("data.partition");
  expect_round_trip<bilevel::InnerMethod>("inner.solver");
  expect_round_trip<bilevel::HypergradientMethod>("hypergradient.method");
  expect_round_trip<Optimizer>("outer.optimizer");
  expect_round_trip<tree::LearnerKind>("tree.learner");
  expect_round_trip<ModelKind>("explain.model");
}

TEST(Settings, ExplainModelOffersOnlyTheModelsItCanExplain) {
  const auto& decls = config_keys();
  const auto decl = std::find_if(decls.begin(), decls.end(),
                                 [](const KeyDecl& d) { return d.key == "explain.model"; });
  EXPECT_EQ(decl->choices, (std::vector<std::string>{"softmax", "mlp", "cnn", "torchscript"}));
}

TEST(Settings, FilesKeepWhatWasWrittenAndTheResolvedPath) {
  const Settings s = read_settings(Config::parse(
      "[model]\nfile = \"nets/m.pt\"\n[topology]\nfile = \"s.edges\"\n", "exp/run.toml",
      {"data.train=train.svm"}));
  EXPECT_EQ(s.model.file.given, "nets/m.pt");
  EXPECT_EQ(s.model.file.path, "exp/nets/m.pt");
  EXPECT_EQ(s.topology.file, "exp/s.edges");
  EXPECT_EQ(s.data.train.path, "train.svm");  // a --set path: relative to the working directory
  EXPECT_TRUE(s.data.test.empty());
}

TEST(Settings, WidthsArePositiveIntegersSeparatedByCommas) {
  EXPECT_EQ(read_settings(Config::defaults({"model.hidden=64,32"})).model.hidden.values(),
            (std::vector<int>{64, 32}));
  EXPECT_EQ(read_settings(Config::defaults({"model.channels=8"})).model.channels.values(),
            std::vector<int>{8});
  for (const char* bad : {"64,,32", "0", "-3", "6x", "", "64,"}) {
    // Reading the config does not judge them (a logistic model has no hidden layers) ...
    const Settings s = read_settings(Config::defaults({std::string("model.hidden=") + bad}));
    // ... the network that uses them does.
    EXPECT_THAT([&] { s.model.hidden.values(); },
                ThrowsMessage<Error>(StrEq(std::string("model.hidden: \"") + bad +
                                           "\" is invalid; expected widths >= 1 separated by "
                                           "commas, e.g. \"64,32\"")))
        << bad;
  }
}

}  // namespace
}  // namespace hyperpush::app
