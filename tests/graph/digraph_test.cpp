#include "hyperpush/graph/digraph.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "hyperpush/error.hpp"

namespace hyperpush::graph {
namespace {

using ::testing::ElementsAre;

std::vector<int> out_list(const Digraph& g, int i) { return {g.out_begin(i), g.out_end(i)}; }
std::vector<int> in_list(const Digraph& g, int j) { return {g.in_begin(j), g.in_end(j)}; }

TEST(Digraph, AddsSelfLoopsSortsAndDropsDuplicates) {
  EdgeList edges = {{2, 0}, {0, 2}, {0, 2}, {1, 1}, {2, 1}};
  Digraph g;
  g.assign(3, edges);
  EXPECT_EQ(g.agents(), 3);
  EXPECT_THAT(out_list(g, 0), ElementsAre(0, 2));
  EXPECT_THAT(out_list(g, 1), ElementsAre(1));
  EXPECT_THAT(out_list(g, 2), ElementsAre(0, 1, 2));
  EXPECT_THAT(in_list(g, 0), ElementsAre(0, 2));
  EXPECT_THAT(in_list(g, 1), ElementsAre(1, 2));
  EXPECT_THAT(in_list(g, 2), ElementsAre(0, 2));
  EXPECT_EQ(g.edge_count(), 6);
  EXPECT_EQ(g.out_degree(2), 3);
  EXPECT_EQ(g.in_degree(1), 2);
  // assign() sorts the caller's list in place.
  EXPECT_TRUE(std::is_sorted(edges.begin(), edges.end()));
}

TEST(Digraph, SelfLoopIsMergedInOrderAmongTargets) {
  EdgeList edges = {{3, 5}, {3, 1}, {3, 4}, {3, 0}};
  Digraph g;
  g.assign(6, edges);
  EXPECT_THAT(out_list(g, 3), ElementsAre(0, 1, 3, 4, 5));
  EXPECT_THAT(in_list(g, 0), ElementsAre(0, 3));
  EXPECT_THAT(in_list(g, 1), ElementsAre(1, 3));
  EXPECT_THAT(in_list(g, 3), ElementsAre(3));
  EXPECT_THAT(in_list(g, 4), ElementsAre(3, 4));
  EXPECT_THAT(in_list(g, 5), ElementsAre(3, 5));
}

TEST(Digraph, InListsMatchOutListsOnALargerGraph) {
  // Every edge u -> v, u ≠ v, with (3u + 5v) mod 7 < 3: an irregular graph.
  const int n = 40;
  EdgeList edges;
  for (int u = n - 1; u >= 0; --u)
    for (int v = 0; v < n; ++v)
      if (u != v && (3 * u + 5 * v) % 7 < 3) edges.emplace_back(u, v);
  Digraph g;
  g.assign(n, edges);
  for (int j = 0; j < n; ++j) {
    std::vector<int> expected;
    for (int i = 0; i < n; ++i)
      if (i == j || (3 * i + 5 * j) % 7 < 3) expected.push_back(i);
    EXPECT_EQ(in_list(g, j), expected) << "agent " << j;
  }
}

TEST(Digraph, HasEdge) {
  EdgeList edges = {{0, 1}, {1, 2}, {2, 0}};
  Digraph g;
  g.assign(3, edges);
  EXPECT_TRUE(g.has_edge(0, 1));
  EXPECT_TRUE(g.has_edge(2, 0));
  EXPECT_TRUE(g.has_edge(1, 1));  // self-loop
  EXPECT_FALSE(g.has_edge(1, 0));
  EXPECT_FALSE(g.has_edge(0, 3));
  EXPECT_FALSE(g.has_edge(-1, 0));
}

TEST(Digraph, RejectsAgentIdsOutsideTheRange) {
  Digraph g;
  EdgeList edges = {{0, 1}, {3, 9}};
  try {
    g.assign(8, edges);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "graph: edge 3 -> 9 names an agent outside [0, 8)");
  }
  EdgeList negative = {{-1, 2}};
  EXPECT_THROW(g.assign(8, negative), Error);
}

TEST(Digraph, EmptyAndSingleAgentGraphs) {
  Digraph g;
  EdgeList none;
  g.assign(0, none);
  EXPECT_EQ(g.agents(), 0);
  EXPECT_EQ(g.edge_count(), 0);
  g.assign(1, none);
  EXPECT_EQ(g.edge_count(), 1);
  EXPECT_TRUE(g.has_edge(0, 0));
}

TEST(Digraph, ReassigningANoLargerGraphReusesStorage) {
  EdgeList ring, reverse_ring, small;
  for (int i = 0; i < 8; ++i) {
    ring.emplace_back(i, (i + 1) % 8);
    reverse_ring.emplace_back((i + 1) % 8, i);
  }
  small = {{0, 1}, {1, 0}};
  Digraph g;
  g.assign(8, ring);
  const int* out = g.out_begin(0);
  const int* in = g.in_begin(0);
  g.assign(8, reverse_ring);
  EXPECT_EQ(g.out_begin(0), out);
  EXPECT_EQ(g.in_begin(0), in);
  EXPECT_TRUE(g.has_edge(1, 0));
  EXPECT_FALSE(g.has_edge(0, 1));
  g.assign(5, small);
  EXPECT_EQ(g.out_begin(0), out);
  EXPECT_EQ(g.in_begin(0), in);
  EXPECT_EQ(g.edge_count(), 7);
}

TEST(Digraph, EqualityComparesAgentsAndEdges) {
  EdgeList a = {{0, 1}, {1, 0}}, b = {{1, 0}, {0, 1}, {0, 1}}, c = {{0, 1}};
  Digraph ga, gb, gc, gd;
  ga.assign(2, a);
  gb.assign(2, b);
  gc.assign(2, c);
  gd.assign(3, a);
  EXPECT_EQ(ga, gb);
  EXPECT_NE(ga, gc);
  EXPECT_NE(ga, gd);
}

}  // namespace
}  // namespace hyperpush::graph
