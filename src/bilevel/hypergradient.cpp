#include "hyperpush/bilevel/hypergradient.hpp"

#include "hyper_gradient_push.hpp"
#include "hyperpush/consensus/max_consensus.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::bilevel {
namespace {

// α = 1 / (1.05 λ̂): power iteration approaches λ_max from below, and any α < 2/λ_max converges;
// the 5% margin keeps α·λ_max ≤ 1 once λ̂ is within 5% of λ_max, where (I − αH̄) contracts fastest.
constexpr double kAlphaSafety = 1.05;

}  // namespace

const std::vector<std::string>& hypergradient_method_names() {
  static const std::vector<std::string> names = {"hgp", "exact", "server-neumann",
                                                 "hessian-exchange", "local"};
  return names;
}

HypergradientMethod hypergradient_method(const std::string& name) {
  const auto& names = hypergradient_method_names();
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == name) return static_cast<HypergradientMethod>(k);
  throw Error("hypergradient.method: unknown method '" + name + "'");
}

HypergradientResult compute_hypergradient(consensus::Gossip& gossip, const AgentSet& agents,
                                          const std::vector<model::Vector>& z,
                                          const HypergradientOptions& options) {
  const auto neumann_steps = [&] {
    std::vector<double> alpha(agents.local_count(), options.alpha);
    if (options.alpha <= 0) {
      auto top = push_sum_power_iteration(gossip, agents, z, options.power_iterations,
                                          options.power_push_rounds);
      // One α for all: the Neumann identity Σ_m (I − αH̄)^m = (αH̄)⁻¹ needs the same α everywhere.
      consensus::max_consensus(gossip, top, 1, options.agreement_rounds);
      for (std::size_t i = 0; i < alpha.size(); ++i) alpha[i] = 1.0 / (kAlphaSafety * top[i]);
    }
    return alpha;
  };
  switch (options.method) {
    case HypergradientMethod::hgp:
      return hyper_gradient_push(gossip, agents, z, options.depth, options.push_rounds,
                                 neumann_steps());
    case HypergradientMethod::server_neumann:
      return server_neumann(gossip, agents, z, options.depth, neumann_steps());
    case HypergradientMethod::hessian_exchange:
      return hessian_exchange(gossip, agents, z, options.push_rounds);
    case HypergradientMethod::local:
      return local_hypergradient(agents, z, options.cg_tolerance, options.cg_iterations);
    case HypergradientMethod::exact: {
      HypergradientResult out;
      out.v = exact_hypergradient(gossip.comm(), gossip.map(), agents, z);
      return out;
    }
  }
  throw Error("hypergradient: unhandled method");
}

}  // namespace hyperpush::bilevel
