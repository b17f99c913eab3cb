#pragma once
// Gamma and Dirichlet draws from the counter-based generator (random.hpp), so that another
// implementation (numpy) replays them bit for bit from the documented keys; std::gamma_distribution
// is implementation-defined and would not be (specs/hgp.md, "Randomness").
//
// Gamma(k), scale 1, keyed (seed, purpose, a, b, c): Marsaglia & Tsang, "A simple method for
// generating gamma variables", ACM TOMS 26(3), 2000, with their boost for k < 1. Let
// U(c) = random_uniform(seed, purpose, a, b, c) and k' = k + 1 when k < 1, else k' = k:
//
//   d = k' − 1/3,  s = 1 / sqrt(9 d)
//   for attempt t = 0, 1, 2, ...:
//     x = sqrt(−2 ln(1 − U(3t + 1))) · cos(2π U(3t + 2))         (Box–Muller, as random_normal)
//     v = 1 + s x;  if v <= 0: next attempt;  v = v³
//     u = U(3t + 3)
//     accept if u < 1 − 0.0331 x⁴  or  ln u < x²/2 + d (1 − v + ln v);  G' = d v
//   k >= 1: G = G'
//   k <  1: G = G' · exp(ln(1 − U(0)) / k)      (key c = 0 is read only in this case)
//
// ln(1 − u) is evaluated as log1p(−u) throughout. An attempt is accepted with probability > 0.95
// for every k' >= 1, so the loop has no cap. log_gamma_sample returns ln G computed as
// ln G' + ln(1 − U(0)) / k, which stays finite where the boost factor underflows (k = 0.01 and
// U(0) > 0.9991 give exp(< −708) = 0): Dirichlet draws are normalized from logarithms for this.
#include <cstdint>
#include <vector>

#include "hyperpush/random.hpp"

namespace hyperpush::data {

// One Gamma(shape, 1) draw keyed (seed, purpose, a, b, c) with c as above. Throws hyperpush::Error
// unless shape is finite and > 0.
double gamma_sample(double shape, std::uint64_t seed, Purpose purpose, std::uint64_t a,
                    std::uint64_t b);

// ln of the same draw as gamma_sample (same keys), finite for every shape > 0.
double log_gamma_sample(double shape, std::uint64_t seed, Purpose purpose, std::uint64_t a,
                        std::uint64_t b);

// One draw p ~ Dirichlet(alpha) (p_j >= 0, Σ p_j = 1 up to rounding). Component j's Gamma draw is
// keyed (seed, purpose, a, j, c); with l_j = log_gamma_sample(alpha[j], seed, purpose, a, j) and
// m = max_j l_j:  p_j = exp(l_j − m) / Σ_i exp(l_i − m), the sum taken in index order.
// Throws hyperpush::Error when alpha is empty or an entry is not finite and > 0.
std::vector<double> dirichlet_sample(const std::vector<double>& alpha, std::uint64_t seed,
                                     Purpose purpose, std::uint64_t a);

// Symmetric Dirichlet(alpha · 1_k): the same as dirichlet_sample(std::vector(k, alpha), ...).
std::vector<double> symmetric_dirichlet_sample(int k, double alpha, std::uint64_t seed,
                                               Purpose purpose, std::uint64_t a);

}  // namespace hyperpush::data
