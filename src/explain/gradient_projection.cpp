#include "hyperpush/explain/gradient_projection.hpp"

#include <cmath>
#include <string>

#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::explain {

Eigen::MatrixXd gradient_projection(int k, int params, std::uint64_t seed) {
  if (k < 1 || params < 1)
    throw Error("gradient projection: needs k >= 1 and at least one parameter, got k = " +
                std::to_string(k) + ", P = " + std::to_string(params));
  Eigen::MatrixXd r(k, params);
  const double scale = 1.0 / std::sqrt(static_cast<double>(k));
  for (int j = 0; j < params; ++j)
    for (int i = 0; i < k; ++i) r(i, j) = scale * random_normal(seed, Purpose::explain, 0, i, j);
  return r;
}

}  // namespace hyperpush::explain
