// make_torch_classifier: the linear kinds against their closed forms (explain/softmax_model.hpp's
// formulas), the mlp and the cnn against central finite differences of the per-sample loss (taken
// from a one-sample torch problem) and of the mean gradient.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "../model/oracle_checks.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/torch/torch_problem.hpp"

namespace hyperpush::model {
namespace {

using test::relative_error;

Matrix random_inputs(int m, int features, std::uint64_t seed) {
  Matrix x(m, features);
  for (int k = 0; k < m; ++k)
    for (int j = 0; j < features; ++j)
      x(k, j) = random_normal(seed, Purpose::initial_value, k, j, 0);
  return x;
}

Eigen::VectorXi random_labels(int m, int classes, std::uint64_t seed) {
  Eigen::VectorXi labels(m);
  for (int k = 0; k < m; ++k)
    labels[k] = static_cast<int>(random_bits(seed, Purpose::initial_value, k, 0, 1) % classes);
  return labels;
}

constexpr int kSamples = 12, kFeatures = 4;

TorchSpec cpu_spec(TorchKind kind, int classes) {
  TorchSpec spec;
  spec.kind = kind;
  spec.classes = classes;
  spec.device = "cpu";
  spec.seed = 4;
  return spec;
}

// Softmax regression in closed form: X̃ = [x, 1], W = reshape(θ, q + 1, C) column-major,
// P = softmax(X̃ W), g_k = vec(x̃_k (p_k − e_{y_k})ᵀ), H v = vec(X̃ᵀ R) / m with
// R = P ⊙ (U − rowsum(P ⊙ U)), U = X̃ V.
struct SoftmaxClosedForm {
  Matrix input, probabilities;
  Eigen::VectorXi labels;
  int classes;

  SoftmaxClosedForm(const Matrix& x, const Eigen::VectorXi& y, const Vector& theta, int c)
      : input(x.rows(), x.cols() + 1), labels(y), classes(c) {
    input << x, Vector::Ones(x.rows());
    const Matrix z = input * Eigen::Map<const Matrix>(theta.data(), input.cols(), c);
    probabilities = (z.colwise() - z.rowwise().maxCoeff()).array().exp();
    probabilities.array().colwise() /= probabilities.rowwise().sum().array();
  }
  Matrix gradients() const {
    const Eigen::Index r = input.cols();
    Matrix g(input.rows(), r * classes);
    for (Eigen::Index k = 0; k < input.rows(); ++k)
      for (int c = 0; c < classes; ++c)
        g.row(k).segment(c * r, r) = (probabilities(k, c) - (labels[k] == c)) * input.row(k);
    return g;
  }
  Vector hessian_vector(const Vector& v) const {
    const Matrix u = input * Eigen::Map<const Matrix>(v.data(), input.cols(), classes);
    Matrix r = u;
    r.colwise() -= probabilities.cwiseProduct(u).rowwise().sum();
    r = r.cwiseProduct(probabilities);
    const Matrix hv = input.transpose() * r / static_cast<double>(input.rows());
    return Eigen::Map<const Vector>(hv.data(), hv.size());
  }
};

TEST(TorchClassifier, SoftmaxEqualsTheClosedForm) {
  const int c = 3;
  const TorchSpec spec = cpu_spec(TorchKind::softmax, c);
  const Vector theta = test::random_vector((kFeatures + 1) * c, 5, 0, 0.7);
  const auto classifier = make_torch_classifier(spec, kFeatures, theta);
  ASSERT_EQ(classifier->params(), (kFeatures + 1) * c);
  EXPECT_EQ(classifier->classes(), c);
  EXPECT_EQ(classifier->features(), kFeatures);
  const Matrix x = random_inputs(kSamples, kFeatures, 6);
  const Eigen::VectorXi y = random_labels(kSamples, c, 7);
  const SoftmaxClosedForm closed(x, y, theta, c);
  EXPECT_LT(relative_error(classifier->loss_gradients(x, y), closed.gradients()), 1e-12);
  for (std::uint64_t seed : {8, 9}) {  // the second product reuses the kept graph
    const Vector v = test::random_vector(classifier->params(), seed);
    EXPECT_LT(
        relative_error(classifier->mean_loss_hessian_vector(x, y, v), closed.hessian_vector(v)),
        1e-12);
  }
  Eigen::VectorXi predicted(kSamples);
  for (int k = 0; k < kSamples; ++k) closed.probabilities.row(k).maxCoeff(&predicted[k]);
  EXPECT_EQ(classifier->predict(x), predicted);
  EXPECT_EQ(classifier->hidden(x, Classifier::Representation::all).cols(), 0);
  EXPECT_EQ(classifier->hidden(x, Classifier::Representation::last).rows(), kSamples);
  // The randomization test's model: weight (j, c) ~ N(0, 1/(q + 1)), the explain layer's draw.
  const auto random = classifier->reinitialised(11);
  Vector expected(classifier->params());
  for (int k = 0; k < c; ++k)
    for (int j = 0; j <= kFeatures; ++j)
      expected[k * (kFeatures + 1) + j] = random_normal(11, Purpose::explain, 1, j, k) /
                                          std::sqrt(static_cast<double>(kFeatures + 1));
  EXPECT_LT(relative_error(random->loss_gradients(x, y),
                           SoftmaxClosedForm(x, y, expected, c).gradients()),
            1e-12);
}

TEST(TorchClassifier, LogisticGradientIsTheResidualTimesTheInput) {
  const TorchSpec spec = cpu_spec(TorchKind::logistic, 2);
  const Vector theta = test::random_vector(kFeatures + 1, 5);
  const auto classifier = make_torch_classifier(spec, kFeatures, theta);
  const Matrix x = random_inputs(kSamples, kFeatures, 6);
  const Eigen::VectorXi y = random_labels(kSamples, 2, 7);
  Matrix expected(kSamples, kFeatures + 1);
  Eigen::VectorXi predicted(kSamples);
  for (int k = 0; k < kSamples; ++k) {
    const double z = x.row(k).dot(theta.head(kFeatures)) + theta[kFeatures];
    const double residual = 1 / (1 + std::exp(-z)) - y[k];  // σ(z) − y
    expected.row(k) << residual * x.row(k), residual;
    predicted[k] = z > 0;
  }
  EXPECT_LT(relative_error(classifier->loss_gradients(x, y), expected), 1e-12);
  EXPECT_EQ(classifier->predict(x), predicted);
}

// ℓ(θ0 + x) of one sample: the inner loss of a one-sample torch problem with no regularizer
// (l2 = 0, e^λ = e^{−1000} = 0).
double sample_loss(const TorchSpec& classifier_spec, const Matrix& row, int label,
                   const Vector& x) {
  TorchSpec spec = classifier_spec;
  spec.hyper = HyperKind::l2;
  spec.l2 = 0;
  LabelledData one;
  one.features = row;
  one.labels = Eigen::VectorXi::Constant(1, label);
  return make_torch_problem(spec, one, {}, {})->inner_loss(x, Vector::Constant(1, -1000.0));
}

struct NetworkCase {
  TorchKind kind;
  int classes;
  int features;
  std::vector<int> widths;  // mlp: hidden; cnn: channels
  Activation activation;
  std::vector<int> hidden_widths;
  const char* name;
};
void PrintTo(const NetworkCase& c, std::ostream* os) { *os << c.name; }

class NetworkClassifier : public testing::TestWithParam<NetworkCase> {
 protected:
  TorchSpec spec() const {
    TorchSpec s = cpu_spec(GetParam().kind, GetParam().classes);
    s.activation = GetParam().activation;
    if (GetParam().kind == TorchKind::mlp) s.hidden = GetParam().widths;
    if (GetParam().kind == TorchKind::cnn) {
      s.channels = GetParam().widths;
      s.kernel = 3;
    }
    return s;
  }
  int params() const {
    const NetworkCase& c = GetParam();
    return c.kind == TorchKind::mlp ? mlp_parameter_count(c.features, c.widths, c.classes)
                                    : cnn_parameter_count(c.features, c.widths, 3, c.classes);
  }
};

TEST_P(NetworkClassifier, GradientsAndProductsMatchFiniteDifferences) {
  const NetworkCase& c = GetParam();
  const int m = 4;
  const Matrix inputs = random_inputs(m, c.features, 6);
  const Eigen::VectorXi labels = random_labels(m, c.classes, 7);
  const Vector x = test::random_vector(params(), 8, 0, 0.2);
  const auto classifier = make_torch_classifier(spec(), c.features, x);
  ASSERT_EQ(classifier->params(), params());
  const Matrix gradients = classifier->loss_gradients(inputs, labels);
  ASSERT_EQ(gradients.rows(), m);
  ASSERT_EQ(gradients.cols(), params());
  for (int k = 0; k < m; ++k) {
    const Matrix row = inputs.row(k);
    const Vector expected = test::central_gradient(
        [&](const Vector& v) { return sample_loss(spec(), row, labels[k], v); }, x);
    EXPECT_LT(relative_error(Vector(gradients.row(k).transpose()), expected), 1e-6)
        << "sample " << k;
  }
  // H v vs central differences of the mean gradient along v.
  const auto mean_gradient = [&](const Vector& v) -> Vector {
    return make_torch_classifier(spec(), c.features, v)
        ->loss_gradients(inputs, labels)
        .colwise()
        .mean()
        .transpose();
  };
  for (std::uint64_t seed : {9, 10}) {
    const Vector v = test::random_vector(params(), seed);
    EXPECT_LT(relative_error(classifier->mean_loss_hessian_vector(inputs, labels, v),
                             test::central_directional(mean_gradient, x, v)),
              1e-6);
  }
  const Matrix h = classifier->mean_loss_hessian(inputs, labels);
  EXPECT_EQ(h.rows(), params());
  EXPECT_EQ((h - h.transpose()).norm(), 0.0);  // symmetrised
}

TEST_P(NetworkClassifier, HiddenLayersAndPredictions) {
  const NetworkCase& c = GetParam();
  const Matrix inputs = random_inputs(kSamples, c.features, 6);
  const auto classifier = make_torch_classifier(spec(), c.features, Vector::Zero(params()));
  const Matrix all = classifier->hidden(inputs, Classifier::Representation::all);
  const Matrix last = classifier->hidden(inputs, Classifier::Representation::last);
  int total = 0;
  for (const int width : c.hidden_widths) total += width;
  EXPECT_EQ(all.rows(), kSamples);
  EXPECT_EQ(all.cols(), total);
  EXPECT_EQ(last.cols(), c.hidden_widths.back());
  EXPECT_EQ(last, all.rightCols(c.hidden_widths.back()));
  const Eigen::VectorXi predicted = classifier->predict(inputs);
  EXPECT_EQ(predicted.size(), kSamples);
  EXPECT_TRUE((predicted.array() >= 0).all() && (predicted.array() < c.classes).all());
  // reinitialised(seed): the same architecture with θ0 of that seed and x = 0.
  TorchSpec other = spec();
  other.seed = 21;
  const auto fresh = make_torch_classifier(other, c.features, Vector::Zero(params()));
  const Eigen::VectorXi y = random_labels(kSamples, c.classes, 7);
  EXPECT_EQ(classifier->reinitialised(21)->loss_gradients(inputs, y),
            fresh->loss_gradients(inputs, y));
  EXPECT_NE(classifier->reinitialised(21)->loss_gradients(inputs, y),
            classifier->loss_gradients(inputs, y));
}

INSTANTIATE_TEST_SUITE_P(
    Networks, NetworkClassifier,
    testing::Values(
        NetworkCase{TorchKind::mlp, 2, kFeatures, {6}, Activation::tanh, {6}, "mlp_binary"},
        NetworkCase{
            TorchKind::mlp, 3, kFeatures, {6, 5}, Activation::softplus, {6, 5}, "mlp_3_classes"},
        // 8 × 8 images: blocks give 2 · 4 · 4 and 3 · 2 · 2 pooled values.
        NetworkCase{TorchKind::cnn, 3, 64, {2, 3}, Activation::tanh, {32, 12}, "cnn_3_classes"},
        NetworkCase{TorchKind::cnn, 2, 64, {2}, Activation::softplus, {32}, "cnn_binary"}),
    [](const testing::TestParamInfo<NetworkCase>& info) { return std::string(info.param.name); });

TEST(TorchClassifier, RefusesInputsThatDoNotFit) {
  const TorchSpec spec = cpu_spec(TorchKind::softmax, 3);
  EXPECT_THROW(make_torch_classifier(spec, kFeatures, Vector::Zero(7)), Error);  // x: 15 entries
  const auto classifier = make_torch_classifier(spec, kFeatures, Vector::Zero(15));
  EXPECT_THROW(classifier->predict(random_inputs(2, kFeatures + 1, 1)), Error);
  EXPECT_THROW(classifier->loss_gradients(random_inputs(2, kFeatures, 1), Eigen::VectorXi::Zero(3)),
               Error);
  EXPECT_THROW(
      classifier->loss_gradients(random_inputs(1, kFeatures, 1), Eigen::VectorXi::Constant(1, 3)),
      Error);
  EXPECT_THROW(classifier->mean_loss_hessian_vector(random_inputs(2, kFeatures, 1),
                                                    Eigen::VectorXi::Zero(2), Vector::Zero(3)),
               Error);
}

}  // namespace
}  // namespace hyperpush::model
