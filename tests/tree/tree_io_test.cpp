// Trees to JSON (and back) and to Graphviz DOT.
#include <gtest/gtest.h>

#include "hyperpush/error.hpp"
#include "hyperpush/tree/cart.hpp"
#include "hyperpush/tree/tree_dot.hpp"
#include "hyperpush/tree/tree_json.hpp"
#include "tree_fixtures.hpp"

namespace hyperpush::tree {
namespace {

Tree stump() { return fit_cart(make_dataset({{0.25}, {0.5}, {1.75}}, {0, 0, 1}), {1, 2}); }

TEST(TreeJson, WritesEveryNodeField) {
  EXPECT_EQ(tree_to_json(stump()),
            R"({"classes":2,"max_depth":1,"nodes":[)"
            R"({"counts":[2,1],"depth":0,"feature":0,"id":0,"label":0,"left":1,"right":2,)"
            R"("samples":3,"threshold":1.125},)"
            R"({"counts":[2,0],"depth":1,"id":1,"label":0,"samples":2},)"
            R"({"counts":[0,1],"depth":1,"id":2,"label":1,"samples":1}]})");
}

TEST(TreeJson, RoundTripsBreastCancerTrees) {
  const auto split = breast_cancer(0);
  const Tree t = fit_cart(split.train, {8, 2});
  const std::string text = tree_to_json(t);
  const Tree back = tree_from_json(text);
  EXPECT_EQ(tree_to_json(back), text);
  EXPECT_EQ(back.accuracy_by_depth(split.test), t.accuracy_by_depth(split.test));
  EXPECT_THROW(tree_from_json("{\"classes\": 2}"), Error);
  EXPECT_THROW(tree_from_json("not json"), Error);
}

TEST(TreeDot, DrawsRulesCountsAndEdges) {
  const std::string dot = tree_to_dot(stump(), {"benign", "malignant"}, {"radius"});
  EXPECT_NE(dot.find("digraph tree {"), std::string::npos);
  EXPECT_NE(
      dot.find(R"(n0 [label="radius <= 1.125\nsamples = 3\ncounts = [2, 1]\nclass = benign"];)"),
      std::string::npos)
      << dot;
  EXPECT_NE(dot.find(R"(n0 -> n1 [label="<="];)"), std::string::npos);
  EXPECT_NE(dot.find(R"(n0 -> n2 [label=">"];)"), std::string::npos);
  EXPECT_NE(
      dot.find(R"(n2 [label="samples = 1\ncounts = [0, 1]\nclass = malignant", style=rounded];)"),
      std::string::npos)
      << dot;
}

}  // namespace
}  // namespace hyperpush::tree
