// Gamma and Dirichlet draws: the documented keys (replayed here from the header's description, not
// from the implementation), and the distributions (moments and Kolmogorov–Smirnov distances).
//
// Tolerances: with N independent draws, a sample mean is off by sd/√N, a sample variance by
// sqrt((μ₄ − σ⁴)/N), which for Gamma(k) (σ² = k, excess kurtosis 6/k) is k·sqrt((2 + 6/k)/N).
// The tests allow 5 standard errors (a fair sampler fails one check with probability < 1e-6),
// and the KS distance sup|F_N − F| is allowed 1.95/√N (the 0.1% critical value). The draws are
// deterministic, so these tests cannot flake: the tolerances say how wrong a sampler may be and
// still pass.
#include "hyperpush/data/dirichlet.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::data {
namespace {

using testing::StrEq;
using testing::ThrowsMessage;

constexpr std::uint64_t kSeed = 2023;
constexpr Purpose kPurpose = Purpose::label_proportions;

// The header's Marsaglia–Tsang description, transcribed: returns d·v of the accepted attempt.
double documented_marsaglia_tsang(double k, std::uint64_t a, std::uint64_t b) {
  const double d = k - 1.0 / 3.0, s = 1.0 / std::sqrt(9.0 * d);
  for (std::uint64_t t = 0;; ++t) {
    const double x =
        std::sqrt(-2.0 * std::log1p(-random_uniform(kSeed, kPurpose, a, b, 3 * t + 1))) *
        std::cos(2.0 * M_PI * random_uniform(kSeed, kPurpose, a, b, 3 * t + 2));
    double v = 1.0 + s * x;
    if (v <= 0) continue;
    v = v * v * v;
    const double u = random_uniform(kSeed, kPurpose, a, b, 3 * t + 3);
    if (u < 1.0 - 0.0331 * x * x * x * x || std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v)))
      return d * v;
  }
}

double documented_gamma(double k, std::uint64_t a, std::uint64_t b) {
  if (k >= 1) return documented_marsaglia_tsang(k, a, b);
  return documented_marsaglia_tsang(k + 1, a, b) *
         std::exp(std::log1p(-random_uniform(kSeed, kPurpose, a, b, 0)) / k);
}

// Regularized lower incomplete gamma P(k, x) by its power series
// P(k, x) = x^k e^(−x) / Γ(k + 1) · Σ_n x^n / ((k + 1)(k + 2)...(k + n)), fine for x < 60.
double gamma_cdf(double k, double x) {
  if (x <= 0) return 0;
  double term = 1, sum = 1;
  for (int n = 1; n < 1000 && term > 1e-17 * sum; ++n) {
    term *= x / (k + n);
    sum += term;
  }
  return std::exp(k * std::log(x) - x - std::lgamma(k + 1)) * sum;
}

std::vector<double> gamma_draws(double k, std::size_t n) {
  std::vector<double> draws(n);
  for (std::size_t i = 0; i < n; ++i) draws[i] = gamma_sample(k, kSeed, kPurpose, i, 7);
  return draws;
}

class GammaShape : public testing::TestWithParam<double> {};

TEST_P(GammaShape, MeanAndVarianceMatchWithinFiveStandardErrors) {
  const double k = GetParam();
  constexpr std::size_t n = 200000;
  const auto draws = gamma_draws(k, n);
  double mean = 0;
  for (const double g : draws) {
    ASSERT_TRUE(std::isfinite(g) && g >= 0) << g;
    mean += g;
  }
  mean /= n;
  double variance = 0;
  for (const double g : draws) variance += (g - mean) * (g - mean);
  variance /= n - 1;
  EXPECT_NEAR(mean, k, 5 * std::sqrt(k / n));
  EXPECT_NEAR(variance, k, 5 * k * std::sqrt((2 + 6 / k) / n));
}

TEST_P(GammaShape, KolmogorovSmirnovDistanceBelowTheOnePerMilleCriticalValue) {
  const double k = GetParam();
  constexpr std::size_t n = 100000;
  auto draws = gamma_draws(k, n);
  std::sort(draws.begin(), draws.end());
  double distance = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double f = gamma_cdf(k, draws[i]);
    distance =
        std::max({distance, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  EXPECT_LT(distance, 1.95 / std::sqrt(static_cast<double>(n)));
}

TEST_P(GammaShape, DrawsAreTheDocumentedKeyedComputation) {
  const double k = GetParam();
  for (std::uint64_t a = 0; a < 2000; ++a) {
    ASSERT_EQ(gamma_sample(k, kSeed, kPurpose, a, 3), documented_gamma(k, a, 3)) << a;
    ASSERT_NEAR(log_gamma_sample(k, kSeed, kPurpose, a, 3), std::log(documented_gamma(k, a, 3)),
                1e-12 * (1 + std::abs(std::log(documented_gamma(k, a, 3)))));
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, GammaShape, testing::Values(0.4, 1.0, 5.0));

TEST(Gamma, RejectionLoopUsesLaterAttemptKeys) {
  // Some keys reject the first attempt (probability ≈ 0.02 at k = 5): the documented transcription
  // above must still agree there, so attempt t > 0 reads keys 3t + 1 .. 3t + 3.
  int rejected = 0;
  for (std::uint64_t a = 0; a < 2000; ++a) {
    const double d = 5 - 1.0 / 3.0, s = 1 / std::sqrt(9 * d);
    const double x = std::sqrt(-2.0 * std::log1p(-random_uniform(kSeed, kPurpose, a, 0, 1))) *
                     std::cos(2.0 * M_PI * random_uniform(kSeed, kPurpose, a, 0, 2));
    const double v = std::pow(1 + s * x, 3), u = random_uniform(kSeed, kPurpose, a, 0, 3);
    const bool first_accepted =
        1 + s * x > 0 &&
        (u < 1 - 0.0331 * std::pow(x, 4) || std::log(u) < x * x / 2 + d * (1 - v + std::log(v)));
    if (!first_accepted) {
      ++rejected;
      EXPECT_EQ(gamma_sample(5, kSeed, kPurpose, a, 0), documented_gamma(5, a, 0));
    }
  }
  EXPECT_GT(rejected, 5);
}

TEST(Gamma, DeterministicInTheKey) {
  EXPECT_EQ(gamma_sample(0.4, 1, kPurpose, 2, 3), gamma_sample(0.4, 1, kPurpose, 2, 3));
  EXPECT_NE(gamma_sample(0.4, 1, kPurpose, 2, 3), gamma_sample(0.4, 2, kPurpose, 2, 3));
  EXPECT_NE(gamma_sample(0.4, 1, kPurpose, 2, 3), gamma_sample(0.4, 1, kPurpose, 2, 4));
  EXPECT_NE(gamma_sample(0.4, 1, kPurpose, 2, 3),
            gamma_sample(0.4, 1, Purpose::mixture_weights, 2, 3));
}

TEST(Gamma, LogStaysFiniteWhereTinyShapesUnderflow) {
  // Gamma(0.01) underflows to 0 for about 0.08% of keys; its logarithm must not.
  int underflows = 0;
  for (std::uint64_t a = 0; a < 20000; ++a) {
    const double log_g = log_gamma_sample(0.01, kSeed, kPurpose, a, 0);
    ASSERT_TRUE(std::isfinite(log_g)) << a;
    if (gamma_sample(0.01, kSeed, kPurpose, a, 0) == 0) ++underflows;
  }
  EXPECT_GT(underflows, 0);
}

TEST(Gamma, RejectsShapesThatAreNotPositive) {
  EXPECT_THAT(
      [] { gamma_sample(0, 1, kPurpose, 0, 0); },
      ThrowsMessage<Error>(StrEq("Gamma shape = 0 is out of range; valid: a finite number > 0")));
  EXPECT_THAT([] { log_gamma_sample(-0.5, 1, kPurpose, 0, 0); },
              ThrowsMessage<Error>(
                  StrEq("Gamma shape = -0.5 is out of range; valid: a finite number > 0")));
  EXPECT_THAT(
      [] { gamma_sample(INFINITY, 1, kPurpose, 0, 0); },
      ThrowsMessage<Error>(StrEq("Gamma shape = inf is out of range; valid: a finite number > 0")));
}

TEST(Dirichlet, MeansAndVariancesMatchWithinFiveStandardErrors) {
  // p_j has mean α_j/α₀ and variance α_j(α₀ − α_j) / (α₀²(α₀ + 1)).
  const std::vector<double> alpha = {0.2, 1.0, 3.0};
  const double alpha0 = 4.2;
  constexpr std::size_t n = 100000;
  std::vector<double> sum(3, 0), sum_squares(3, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto p = dirichlet_sample(alpha, kSeed, kPurpose, i);
    ASSERT_EQ(p.size(), 3u);
    ASSERT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-15);
    for (std::size_t j = 0; j < 3; ++j) {
      sum[j] += p[j];
      sum_squares[j] += p[j] * p[j];
    }
  }
  for (std::size_t j = 0; j < 3; ++j) {
    const double mean = alpha[j] / alpha0;
    const double variance = alpha[j] * (alpha0 - alpha[j]) / (alpha0 * alpha0 * (alpha0 + 1));
    EXPECT_NEAR(sum[j] / n, mean, 5 * std::sqrt(variance / n)) << j;
    // p_j ∈ [0, 1], so Var(p_j²) <= E[p_j²] and the mean of p_j² is off by < sqrt(E[p_j²]/n).
    const double second_moment = variance + mean * mean;
    EXPECT_NEAR(sum_squares[j] / n, second_moment, 5 * std::sqrt(second_moment / n)) << j;
  }
}

TEST(Dirichlet, SymmetricIsTheVectorForm) {
  for (std::uint64_t a = 0; a < 100; ++a)
    EXPECT_EQ(symmetric_dirichlet_sample(3, 0.4, kSeed, kPurpose, a),
              dirichlet_sample({0.4, 0.4, 0.4}, kSeed, kPurpose, a));
}

TEST(Dirichlet, ComponentJIsTheNormalizedGammaKeyedJ) {
  const auto p = dirichlet_sample({0.4, 1.5, 5.0}, kSeed, kPurpose, 9);
  const double g[] = {documented_gamma(0.4, 9, 0), documented_gamma(1.5, 9, 1),
                      documented_gamma(5.0, 9, 2)};
  const double total = g[0] + g[1] + g[2];
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(p[j], g[j] / total, 1e-14) << j;
}

TEST(Dirichlet, TinyAlphaOverManyAgentsStaysANormalizedVector) {
  // Dirichlet(0.01 · 1_100): Gamma(0.01) draws span hundreds of orders of magnitude (and underflow
  // to 0 for about 0.08% of keys), so the normalization works on logarithms. E[p_0] = 0.01 with sd
  // sqrt(0.01 · 0.99 / 2) ≈ 0.070; the total α₀ = 1 makes the largest share close to the
  // Poisson–Dirichlet(1) one, whose mean is the Golomb–Dickman constant 0.6243 (sd ≈ 0.2 per draw).
  constexpr std::size_t n = 2000;
  double first = 0, largest = 0;
  for (std::uint64_t a = 0; a < n; ++a) {
    const auto p = symmetric_dirichlet_sample(100, 0.01, kSeed, kPurpose, a);
    double sum = 0;
    for (const double p_j : p) {
      ASSERT_TRUE(std::isfinite(p_j) && p_j >= 0);
      sum += p_j;
    }
    ASSERT_NEAR(sum, 1.0, 1e-13);
    first += p[0] / n;
    largest += *std::max_element(p.begin(), p.end()) / n;
  }
  EXPECT_NEAR(first, 0.01, 5 * 0.070 / std::sqrt(n));
  EXPECT_NEAR(largest, 0.6243, 5 * 0.2 / std::sqrt(n));
}

TEST(Dirichlet, RejectsBadParameters) {
  EXPECT_THAT([] { dirichlet_sample({}, 1, kPurpose, 0); },
              ThrowsMessage<Error>(StrEq("Dirichlet: no components; valid: at least one")));
  EXPECT_THAT(
      [] {
        dirichlet_sample({1.0, -1.0}, 1, kPurpose, 0);
      },
      ThrowsMessage<Error>(
          StrEq("Dirichlet alpha = -1 is out of range; valid: a finite number > 0")));
  EXPECT_THAT([] { symmetric_dirichlet_sample(0, 1.0, 1, kPurpose, 0); },
              ThrowsMessage<Error>(StrEq("Dirichlet: 0 components; valid: at least one")));
}

}  // namespace
}  // namespace hyperpush::data
