#include "hyperpush/bilevel/hypergradient.hpp"

#include <cmath>
#include <cstdio>
#include <utility>

#include "hyper_gradient_push.hpp"
#include "hyperpush/comm/gather.hpp"
#include "hyperpush/consensus/max_consensus.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/numeric.hpp"

namespace hyperpush::bilevel {
namespace {

// α = 1 / (1.05 λ̂): power iteration approaches λ_max from below, and any α < 2/λ_max converges;
// the 5% margin keeps α·λ_max ≤ 1 once λ̂ is within 5% of λ_max, where (I − αH̄) contracts fastest.
constexpr double kAlphaSafety = 1.05;

// Chebyshev's lower bounds μ_i, one for all agents: hypergradient.mu, or L − λ̂_max(L·I − H̄) by
// the push-sum power iteration (L = 1/α_i), agreed on by max-consensus over L − μ. Throws the same
// hyperpush::ConfigError on every rank when μ is not within (0, L).
std::vector<double> lower_bounds(consensus::Gossip& gossip, const AgentSet& agents,
                                 const std::vector<model::Vector>& z,
                                 const HypergradientOptions& options,
                                 const std::vector<double>& alpha) {
  const int local = agents.local_count();
  std::vector<double> top(local), mu(local, options.mu);
  for (int i = 0; i < local; ++i) top[i] = 1.0 / alpha[i];
  if (options.mu <= 0) {
    const consensus::Gossip::Phase phase(gossip, "power iteration");
    auto gap = push_sum_power_iteration(gossip, agents, z, options, top);  // λ̂_max(L·I − H̄)
    consensus::max_consensus(gossip, gap, 1, gossip.flooding_rounds(options.agreement_rounds));
    for (int i = 0; i < local; ++i) mu[i] = top[i] - gap[i];
  }
  // The bounds are agreed on; check them the same way on every rank.
  const double first_mu = local ? mu.front() : INFINITY,
               first_top = local ? top.front() : -INFINITY;
  const auto worst =
      comm::max_over_ranks(gossip.comm(), {-first_mu, first_mu - first_top, first_top});
  if (!(worst[0] < 0) || !(worst[1] < 0)) {
    char what[300];
    std::snprintf(what, sizeof what,
                  "hypergradient.series = chebyshev needs 0 < μ < L = 1/α for the spectrum of H̄; "
                  "got μ = %.4g, L = %.4g (%s): set hypergradient.mu to a lower bound of "
                  "λ_min(H̄) in (0, L), or use series neumann",
                  worst[0] < 0 ? worst[1] + worst[2] : -worst[0], worst[2],
                  options.mu > 0 ? "hypergradient.mu" : "estimated; is H̄ positive definite?");
    throw ConfigError(what, /*collective=*/true);  // every rank decides on the same figures
  }
  return mu;
}

}  // namespace

HypergradientResult compute_hypergradient(consensus::Gossip& gossip, const AgentSet& agents,
                                          const std::vector<model::Vector>& z,
                                          const HypergradientOptions& options,
                                          const NeumannCheckpoints& checkpoints) {
  // α (and μ for chebyshev) per local agent, the same on all of them.
  const auto series_bounds = [&] {
    if (checkpoints.from) return std::pair{checkpoints.from->alpha, checkpoints.from->mu};
    const int local = agents.local_count();
    std::vector<double> alpha(local, options.alpha), mu;
    if (options.alpha <= 0) {
      const consensus::Gossip::Phase phase(gossip, "power iteration");  // and the agreement on α
      auto top = push_sum_power_iteration(gossip, agents, z, options);
      // One α for all: the Neumann identity Σ_m (I − αH̄)^m = (αH̄)⁻¹ needs the same α everywhere.
      consensus::max_consensus(gossip, top, 1, gossip.flooding_rounds(options.agreement_rounds));
      for (int i = 0; i < local; ++i) alpha[i] = 1.0 / (kAlphaSafety * top[i]);
    }
    if (options.series == Series::chebyshev) mu = lower_bounds(gossip, agents, z, options, alpha);
    return std::pair{alpha, mu};
  };
  const auto [alpha, mu] = options.method == HypergradientMethod::hgp ||
                                   options.method == HypergradientMethod::server_neumann
                               ? series_bounds()
                               : std::pair<std::vector<double>, std::vector<double>>{};
  switch (options.method) {
    case HypergradientMethod::hgp:
      return hyper_gradient_push(gossip, agents, z, options.depth, options.push_rounds, alpha, mu,
                                 options, checkpoints);
    case HypergradientMethod::server_neumann:
      return server_neumann(gossip, agents, z, options.depth, alpha, mu, options, checkpoints);
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

void check_hypergradient(const consensus::Gossip& gossip, const HypergradientResult& result,
                         const HypergradientOptions& options) {
  const comm::Communicator& comm = gossip.comm();
  double largest_v = 0;  // max_i ‖v_i‖ over the local agents, a NaN kept
  for (const auto& v : result.v) largest_v = nan_max(largest_v, v.norm());
  const NeumannDivergence& d = result.divergence;
  const bool tripped = d.step > 0;
  // The earliest step any agent tripped (as the max of −step), then the largest figures of the
  // agents that tripped at that step, whichever ranks host them: the same numbers, so the same
  // message, on every rank and every rank count.
  const auto first = comm::max_over_ranks(
      comm, {tripped ? -static_cast<double>(d.step) : -INFINITY, largest_v, result.alpha});
  const std::string method = hypergradient_method_names()[static_cast<int>(options.method)];
  if (std::isinf(first[0]) && std::isfinite(first[1])) return;
  if (std::isinf(first[0]))  // no recursion tripped, yet a v_i is not finite
    throw Divergence(method + " gave a hyper-gradient that is not finite (max ‖v_i‖ = " +
                     std::to_string(first[1]) + ")");
  const bool at_first = tripped && -static_cast<double>(d.step) == first[0];
  const auto there =
      comm::max_over_ranks(comm, {at_first ? d.w_norm : -INFINITY, at_first ? d.v_norm : -INFINITY,
                                  at_first ? d.rate : -INFINITY});
  char what[400];
  char growth[160] = "";
  if (std::isfinite(there[2]))
    std::snprintf(growth, sizeof growth, "; ‖ŵ‖ grows ×%.3g a step, so α·λ_max(H̄) ≈ %.3g ≥ 2",
                  there[2], 1 + there[2]);
  std::snprintf(what, sizeof what,
                "%s diverged at Neumann step %d of %d (max ‖ŵ_i‖ = %.3g, max ‖v_i‖ = %.3g%s for "
                "α = %.3g); ",
                method.c_str(), static_cast<int>(-first[0]), options.depth, there[0], there[1],
                growth, first[2]);
  const std::string fix =
      options.alpha > 0
          ? "lower hypergradient.alpha or leave it 0 (estimated)"
          : "the power iteration underestimated λ_max: raise hypergradient.power_iterations (now " +
                std::to_string(options.power_iterations) +
                ") or hypergradient.power_push_rounds (now " +
                std::to_string(options.power_push_rounds) + ")";
  const comm::Compression& compress = gossip.options().compress;
  const std::string coarse =
      compress.enabled() ? "; or the compressed averages (consensus.compress = " +
                               comm::compression_name(compress) +
                               ") are too coarse for hypergradient.push_rounds = " +
                               std::to_string(options.push_rounds) + ": raise it"
                         : "";
  throw Divergence(what + fix + coarse);
}

}  // namespace hyperpush::bilevel
