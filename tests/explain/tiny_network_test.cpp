// The test classifier with hidden layers (tiny_network.hpp) against finite differences, so the
// metrics' tests below may trust it; and the softmax regression's closed-form Hessian-vector
// product against its dense Hessian.
#include "tiny_network.hpp"

#include <gtest/gtest.h>

#include "explain_fixtures.hpp"

namespace hyperpush::explain {
namespace {

TEST(TinyNetwork, GradientsAreFiniteDifferencesOfTheLoss) {
  test::TinyNetwork net(3, {4, 3}, 3, 1);
  const Samples s = test::random_samples(5, 3, 3, 2);
  const Matrix g = net.loss_gradients(s.x, s.y);
  ASSERT_EQ(g.cols(), net.params());
  ASSERT_EQ(net.params(), 4 * 3 + 4 + 3 * 4 + 3 + 3 * 3 + 3);
  const double h = 1e-6;
  for (int k = 0; k < 5; ++k)
    for (int j = 0; j < net.params(); ++j) {
      const double t = net.theta()(j);
      net.theta()(j) = t + h;
      const double up = net.loss(s.x.row(k).transpose(), s.y(k));
      net.theta()(j) = t - h;
      const double down = net.loss(s.x.row(k).transpose(), s.y(k));
      net.theta()(j) = t;
      EXPECT_NEAR(g(k, j), (up - down) / (2 * h), 1e-8) << "sample " << k << " param " << j;
    }
}

TEST(TinyNetwork, HessianVectorProductsAreFiniteDifferencesOfTheMeanGradient) {
  test::TinyNetwork net(3, {4, 3}, 3, 3);
  const Samples s = test::random_samples(6, 3, 3, 4);
  const test::TinyNetwork direction(3, {4, 3}, 3, 5);
  const model::Vector v = direction.theta();
  const model::Vector hv = net.mean_loss_hessian_vector(s.x, s.y, v);
  const double h = 1e-5;
  const model::Vector t = net.theta();
  net.theta() = t + h * v;
  const model::Vector up = net.loss_gradients(s.x, s.y).colwise().mean().transpose();
  net.theta() = t - h * v;
  const model::Vector down = net.loss_gradients(s.x, s.y).colwise().mean().transpose();
  net.theta() = t;
  EXPECT_LT((hv - (up - down) / (2 * h)).norm(), 1e-7 * (1 + hv.norm()));
  // The dense Hessian from P products is symmetric to rounding.
  const Matrix hess = net.mean_loss_hessian(s.x, s.y);
  EXPECT_LT((hess * v - hv).norm(), 1e-10 * (1 + hv.norm()));
}

TEST(TinyNetwork, HiddenRepresentations) {
  const test::TinyNetwork net(3, {4, 2}, 3, 6);
  const Samples s = test::random_samples(5, 3, 3, 7);
  const Matrix last = net.hidden(s.x, model::Classifier::Representation::last);
  const Matrix all = net.hidden(s.x, model::Classifier::Representation::all);
  ASSERT_EQ(last.cols(), 2);
  ASSERT_EQ(all.cols(), 6);
  EXPECT_EQ(all.rightCols(2), last);
}

TEST(SoftmaxModel, HessianVectorProductIsTheDenseHessianTimesTheVector) {
  const Samples s = test::random_samples(20, 3, 4, 8);
  const SoftmaxModel m = test::random_model(3, 4, 9);
  const SoftmaxModel direction = test::random_model(3, 4, 10);
  const model::Vector v =
      Eigen::Map<const model::Vector>(direction.weights.data(), direction.weights.size());
  const model::Vector expected = m.mean_loss_hessian(s.x) * v;
  EXPECT_LT((m.mean_loss_hessian_vector(s.x, s.y, v) - expected).norm(), 1e-12 * expected.norm());
  EXPECT_EQ(m.hidden(s.x, model::Classifier::Representation::last).cols(), 0);
  const auto random = m.reinitialised(11);
  EXPECT_EQ(dynamic_cast<const SoftmaxModel&>(*random).weights,
            random_softmax_model(3, 4, 11).weights);
}

}  // namespace
}  // namespace hyperpush::explain
