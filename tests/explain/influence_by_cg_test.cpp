// IF by conjugate gradient with Hessian-vector products against IF with the dense damped Hessian
// (explain/relevance.hpp), on the closed-form softmax regression and on a network with hidden
// layers.
#include <gtest/gtest.h>

#include "explain_fixtures.hpp"
#include "hyperpush/explain/relevance.hpp"
#include "tiny_network.hpp"

namespace hyperpush::explain {
namespace {

// IF scores of the queries with dense_max_params below P (CG) and above it (Cholesky).
void expect_cg_equals_dense(const model::Classifier& model, const Samples& train,
                            const Samples& queries, int projection_dim, double damping) {
  RelevanceOptions dense, cg;
  dense.damping = cg.damping = damping;
  dense.projection_dim = cg.projection_dim = projection_dim;
  dense.seed = cg.seed = 3;
  cg.dense_max_params = 1;
  cg.cg_tolerance = 1e-13;
  cg.cg_iterations = 1000;
  const Relevance a(Metric::if_, model, train, dense), b(Metric::if_, model, train, cg);
  EXPECT_NE(b.variant().find("CG with HVPs on N = " + std::to_string(train.x.rows())),
            std::string::npos)
      << b.variant();
  EXPECT_NE(a.variant().find("Cholesky"), std::string::npos) << a.variant();
  const Eigen::VectorXi labels = model.predict(queries.x);
  const Eigen::MatrixXd sa = a.index().scores(a.query_embedding(queries.x, labels));
  const Eigen::MatrixXd sb = b.index().scores(b.query_embedding(queries.x, labels));
  EXPECT_LT((sa - sb).cwiseAbs().maxCoeff(), 1e-8 * (1 + sa.cwiseAbs().maxCoeff()));
  EXPECT_EQ(b.cg_stats().solves, queries.x.rows());
  EXPECT_EQ(b.cg_stats().not_converged, 0);
  EXPECT_GT(b.cg_stats().max_iterations, 0);
  EXPECT_EQ(a.cg_stats().solves, 0);
}

TEST(InfluenceByConjugateGradient, EqualsTheDenseSolveForSoftmaxRegression) {
  const Samples train = test::random_samples(30, 4, 3, 11);
  const Samples queries = test::random_samples(6, 4, 3, 12);
  const SoftmaxModel m = test::random_model(4, 3, 13);
  expect_cg_equals_dense(m, train, queries, 0, 0.05);
  expect_cg_equals_dense(m, train, queries, 7, 0.05);
}

TEST(InfluenceByConjugateGradient, EqualsTheDenseSolveForANetwork) {
  const Samples train = test::random_samples(25, 3, 3, 14);
  const Samples queries = test::random_samples(5, 3, 3, 15);
  const test::TinyNetwork net(3, {4, 3}, 3, 16);
  // At random parameters a network's Hessian is indefinite: a damping above its most negative
  // eigenvalue keeps H + δ I positive definite.
  expect_cg_equals_dense(net, train, queries, 0, 1.0);
  expect_cg_equals_dense(net, train, queries, 9, 1.0);
}

TEST(InfluenceByConjugateGradient, HessianOnASeededSubsetOfTrainingSamples) {
  const Samples train = test::random_samples(40, 3, 3, 17);
  const SoftmaxModel m = test::random_model(3, 3, 18);
  RelevanceOptions options;
  options.dense_max_params = 1;
  options.hessian_samples = 10;
  const Relevance r(Metric::if_, m, train, options);
  EXPECT_NE(r.variant().find("CG with HVPs on N = 10 samples, tol 1e-06, at most 200"),
            std::string::npos)
      << r.variant();
  options.dense_max_params = 4096;
  const Relevance d(Metric::if_, m, train, options);
  EXPECT_NE(d.variant().find("on N = 10 of 40 training samples"), std::string::npos) << d.variant();
}

}  // namespace
}  // namespace hyperpush::explain
