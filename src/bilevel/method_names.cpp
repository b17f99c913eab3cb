// The names of the inner solvers and hyper-gradient estimators: the config's choices and the
// messages' words (one table each, indexed by the enum).
#include <string>
#include <vector>

#include "hyperpush/bilevel/hypergradient.hpp"
#include "hyperpush/bilevel/inner_solver.hpp"

namespace hyperpush::bilevel {

const std::vector<std::string>& inner_method_names() {
  static const std::vector<std::string> names = {"exact", "sgp", "gradient-push", "push-diging"};
  return names;
}

const std::vector<std::string>& hypergradient_method_names() {
  static const std::vector<std::string> names = {"hgp", "exact", "server-neumann",
                                                 "hessian-exchange", "local"};
  return names;
}

const std::vector<std::string>& series_names() {
  static const std::vector<std::string> names = {"neumann", "chebyshev"};
  return names;
}

}  // namespace hyperpush::bilevel
