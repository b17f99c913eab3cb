#include "hyperpush/data/dirichlet.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "hyperpush/error.hpp"
#include "number_text.hpp"

namespace hyperpush::data {
namespace {

void check_shape(double shape, const char* what) {
  if (!(std::isfinite(shape) && shape > 0))
    throw Error(std::string(what) + " = " + detail::number_text(shape) +
                " is out of range; valid: a finite number > 0");
}

// Marsaglia–Tsang for shape >= 1: the accepted G' = d·v of the header, attempts keyed from c = 1.
double marsaglia_tsang(double shape, std::uint64_t seed, Purpose purpose, std::uint64_t a,
                       std::uint64_t b) {
  const double d = shape - 1.0 / 3.0;
  const double s = 1.0 / std::sqrt(9.0 * d);
  for (std::uint64_t t = 0;; ++t) {
    // x ~ N(0, 1) by Box–Muller from U(3t + 1), U(3t + 2), exactly as random_normal.
    const double u1 = random_uniform(seed, purpose, a, b, 3 * t + 1);
    const double u2 = random_uniform(seed, purpose, a, b, 3 * t + 2);
    const double x = std::sqrt(-2.0 * std::log1p(-u1)) * std::cos(6.283185307179586 * u2);
    double v = 1.0 + s * x;
    if (v <= 0) continue;
    v = v * v * v;
    const double u = random_uniform(seed, purpose, a, b, 3 * t + 3);
    // Squeeze first (cheap), then the exact test ln u < x²/2 + d (1 − v + ln v).
    if (u < 1.0 - 0.0331 * (x * x) * (x * x) ||
        std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v)))
      return d * v;
  }
}

}  // namespace

double gamma_sample(double shape, std::uint64_t seed, Purpose purpose, std::uint64_t a,
                    std::uint64_t b) {
  check_shape(shape, "Gamma shape");
  if (shape >= 1) return marsaglia_tsang(shape, seed, purpose, a, b);
  // Boost: G(k) = G(k + 1) · (1 − U)^(1/k) for U ~ U[0, 1).
  const double boost = std::exp(std::log1p(-random_uniform(seed, purpose, a, b, 0)) / shape);
  return marsaglia_tsang(shape + 1, seed, purpose, a, b) * boost;
}

double log_gamma_sample(double shape, std::uint64_t seed, Purpose purpose, std::uint64_t a,
                        std::uint64_t b) {
  check_shape(shape, "Gamma shape");
  if (shape >= 1) return std::log(marsaglia_tsang(shape, seed, purpose, a, b));
  return std::log(marsaglia_tsang(shape + 1, seed, purpose, a, b)) +
         std::log1p(-random_uniform(seed, purpose, a, b, 0)) / shape;
}

std::vector<double> dirichlet_sample(const std::vector<double>& alpha, std::uint64_t seed,
                                     Purpose purpose, std::uint64_t a) {
  if (alpha.empty()) throw Error("Dirichlet: no components; valid: at least one");
  for (const double alpha_j : alpha) check_shape(alpha_j, "Dirichlet alpha");
  // p_j = G_j / Σ G_i with G_j ~ Gamma(α_j), normalized from ln G_j so that nothing underflows.
  std::vector<double> p(alpha.size());
  for (std::size_t j = 0; j < alpha.size(); ++j)
    p[j] = log_gamma_sample(alpha[j], seed, purpose, a, j);
  const double max_log = *std::max_element(p.begin(), p.end());
  double sum = 0;
  for (double& p_j : p) {
    p_j = std::exp(p_j - max_log);
    sum += p_j;
  }
  for (double& p_j : p) p_j /= sum;
  return p;
}

std::vector<double> symmetric_dirichlet_sample(int k, double alpha, std::uint64_t seed,
                                               Purpose purpose, std::uint64_t a) {
  if (k < 1) throw Error("Dirichlet: " + std::to_string(k) + " components; valid: at least one");
  return dirichlet_sample(std::vector<double>(static_cast<std::size_t>(k), alpha), seed, purpose,
                          a);
}

}  // namespace hyperpush::data
