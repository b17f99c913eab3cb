#pragma once
// Central finite differences of a LocalProblem's losses, and the checks every oracle must pass
// against them: ∇_x g, H w, J w, ∇_x f, ∇_λ f to relative error < 1e-6, the dense hessian() and
// cross_jacobian() against the products.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>

#include "hyperpush/model/local_problem.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::model::test {

// ‖a − b‖ / ‖b‖, b the reference (finite differences or closed form); 0 when both are 0.
template <class A, class B>
double relative_error(const A& a, const B& b) {
  return (a - b).norm() / std::max(b.norm(), 1e-300);
}

// mean + scale · N(0, 1) entries from hyperpush's counter-based generator, keyed by (seed, k).
inline Vector random_vector(Eigen::Index n, std::uint64_t seed, double mean = 0, double scale = 1) {
  Vector v(n);
  for (Eigen::Index k = 0; k < n; ++k)
    v[k] = mean + scale * random_normal(seed, Purpose::initial_value, k, 0, 0);
  return v;
}

// Relative step: the truncation error of a central difference is O(h²), its rounding error
// O(ε/h); h = 1e-6 keeps both far below 1e-6 for the O(1) data of these tests.
constexpr double kStep = 1e-6;
constexpr double kTolerance = 1e-6;

// [∂φ/∂v_j]_j by central differences.
inline Vector central_gradient(const std::function<double(const Vector&)>& phi, const Vector& v) {
  Vector out(v.size());
  Vector point = v;
  for (Eigen::Index j = 0; j < v.size(); ++j) {
    const double h = kStep * std::max(1.0, std::abs(v[j]));
    const double up = v[j] + h, down = v[j] - h;
    point[j] = up;
    const double phi_up = phi(point);
    point[j] = down;
    const double phi_down = phi(point);
    point[j] = v[j];
    out[j] = (phi_up - phi_down) / (up - down);
  }
  return out;
}

// d/dt F(v + t w) at t = 0 by central differences.
inline Vector central_directional(const std::function<Vector(const Vector&)>& f, const Vector& v,
                                  const Vector& w) {
  const double h = kStep * std::max(1.0, v.norm()) / w.norm();
  return (f(v + h * w) - f(v - h * w)) / (2 * h);
}

inline Vector inner_gradient(const LocalProblem& p, const Vector& x, const Vector& lambda) {
  Vector out(p.dim());
  p.inner_gradient(x, lambda, out);
  return out;
}
inline Vector hessian_vector(const LocalProblem& p, const Vector& x, const Vector& lambda,
                             const Vector& w) {
  Vector out(p.dim());
  p.hessian_vector(x, lambda, w, out);
  return out;
}
inline Vector cross_vector(const LocalProblem& p, const Vector& x, const Vector& lambda,
                           const Vector& w) {
  Vector out(p.hyper_dim());
  p.cross_vector(x, lambda, w, out);
  return out;
}

// ∇_x g vs central differences of g.
inline void expect_inner_gradient_matches_differences(const LocalProblem& p, const Vector& x,
                                                      const Vector& lambda) {
  const Vector expected =
      central_gradient([&](const Vector& v) { return p.inner_loss(v, lambda); }, x);
  EXPECT_LT(relative_error(inner_gradient(p, x, lambda), expected), kTolerance);
}

// H w vs central differences of ∇_x g along w.
inline void expect_hessian_vector_matches_differences(const LocalProblem& p, const Vector& x,
                                                      const Vector& lambda, const Vector& w) {
  const Vector expected =
      central_directional([&](const Vector& v) { return inner_gradient(p, v, lambda); }, x, w);
  EXPECT_LT(relative_error(hessian_vector(p, x, lambda, w), expected), kTolerance);
}

// J w vs ∂/∂λ_k of ∇_x g(x, λ)ᵀ w by central differences in λ.
inline void expect_cross_vector_matches_differences(const LocalProblem& p, const Vector& x,
                                                    const Vector& lambda, const Vector& w) {
  const Vector expected =
      central_gradient([&](const Vector& l) { return inner_gradient(p, x, l).dot(w); }, lambda);
  EXPECT_LT(relative_error(cross_vector(p, x, lambda, w), expected), kTolerance);
}

// ∇_x f and ∇_λ f vs central differences of f.
inline void expect_outer_gradients_match_differences(const LocalProblem& p, const Vector& x,
                                                     const Vector& lambda) {
  Vector gx(p.dim()), gl(p.hyper_dim());
  p.outer_gradient_x(x, lambda, gx);
  p.outer_gradient_lambda(x, lambda, gl);
  EXPECT_LT(relative_error(
                gx, central_gradient([&](const Vector& v) { return p.outer_loss(v, lambda); }, x)),
            kTolerance);
  EXPECT_LT(relative_error(
                gl, central_gradient([&](const Vector& l) { return p.outer_loss(x, l); }, lambda)),
            kTolerance);
}

// hessian() column j equals H e_j (LocalProblem's default) and is exactly symmetric.
inline void expect_dense_hessian_matches_products(const LocalProblem& p, const Vector& x,
                                                  const Vector& lambda) {
  const Matrix h = p.hessian(x, lambda);
  const Matrix from_products = p.LocalProblem::hessian(x, lambda);
  ASSERT_EQ(h.rows(), p.dim());
  ASSERT_EQ(h.cols(), p.dim());
  for (Eigen::Index j = 0; j < h.cols(); ++j)
    EXPECT_LT(relative_error(h.col(j), from_products.col(j)), 1e-12) << "column " << j;
  EXPECT_EQ((h - h.transpose()).norm(), 0.0);
}

// cross_jacobian() equals the products J e_k, and J w = cross_jacobian() w.
inline void expect_cross_jacobian_matches_products(const LocalProblem& p, const Vector& x,
                                                   const Vector& lambda, const Vector& w) {
  const Matrix j = p.cross_jacobian(x, lambda);
  ASSERT_EQ(j.rows(), p.hyper_dim());
  ASSERT_EQ(j.cols(), p.dim());
  EXPECT_LT(relative_error(j, p.LocalProblem::cross_jacobian(x, lambda)), 1e-12);
  EXPECT_LT(relative_error(cross_vector(p, x, lambda, w), Vector(j * w)), 1e-12);
}

// Every oracle of `backend` equals `reference` at (x, λ), relative `tolerance` (DESIGN.md's
// reference rule): g and f, ∇_x g, H w and J w for w1, w2 and w1 again (repeated and alternating
// products at one point: the backends' caches), ∇_x f, ∇_λ f (0 exactly where the reference has
// 0), and the test metric and predictions exactly.
inline void expect_same_oracles(const LocalProblem& backend, const LocalProblem& reference,
                                const Vector& x, const Vector& lambda, double tolerance) {
  const int d = reference.dim(), p = reference.hyper_dim();
  ASSERT_EQ(backend.dim(), d);
  ASSERT_EQ(backend.hyper_dim(), p);
  EXPECT_NEAR(backend.inner_loss(x, lambda), reference.inner_loss(x, lambda),
              tolerance * std::abs(reference.inner_loss(x, lambda)));
  EXPECT_NEAR(backend.outer_loss(x, lambda), reference.outer_loss(x, lambda),
              tolerance * std::abs(reference.outer_loss(x, lambda)));
  EXPECT_LT(
      relative_error(inner_gradient(backend, x, lambda), inner_gradient(reference, x, lambda)),
      tolerance);
  const Vector w1 = random_vector(d, 11), w2 = random_vector(d, 12);
  for (const Vector* w : {&w1, &w2, &w1}) {
    EXPECT_LT(relative_error(hessian_vector(backend, x, lambda, *w),
                             hessian_vector(reference, x, lambda, *w)),
              tolerance);
    EXPECT_LT(relative_error(cross_vector(backend, x, lambda, *w),
                             cross_vector(reference, x, lambda, *w)),
              tolerance);
  }
  Vector a(d), b(d), ap(p), bp(p);
  backend.outer_gradient_x(x, lambda, a);
  reference.outer_gradient_x(x, lambda, b);
  EXPECT_LT(relative_error(a, b), tolerance);
  backend.outer_gradient_lambda(x, lambda, ap);
  reference.outer_gradient_lambda(x, lambda, bp);
  EXPECT_LT(relative_error(ap, bp), tolerance);
  EXPECT_EQ(backend.test_metric(x, lambda), reference.test_metric(x, lambda));
  for (const auto part : {LocalProblem::Part::train, LocalProblem::Part::test})
    EXPECT_EQ(backend.predict(x, lambda, part), reference.predict(x, lambda, part));
}

// Per-class logit offsets (λ ∈ R^C) are part of the agent's model: an offset far above every
// logit makes its class the prediction on every test sample, and the test accuracy the share of
// that class among the labels; whatever λ the problem saw last.
inline void expect_offsets_decide_predictions(const LocalProblem& p, const Vector& x,
                                              const Eigen::VectorXi& test_labels) {
  const int classes = p.hyper_dim();
  const auto m = test_labels.size();
  for (int favoured = 0; favoured < classes; ++favoured) {
    Vector offsets = Vector::Zero(classes);
    offsets[favoured] = 1e3;
    p.inner_loss(x, -offsets);
    EXPECT_EQ(p.predict(x, offsets, LocalProblem::Part::test),
              Eigen::VectorXi::Constant(m, favoured));
    EXPECT_DOUBLE_EQ(p.test_metric(x, offsets),
                     static_cast<double>((test_labels.array() == favoured).count()) / m);
  }
}

}  // namespace hyperpush::model::test
