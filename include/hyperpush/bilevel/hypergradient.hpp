#pragma once
// Hyper-gradient estimators (specs/hgp.md): given every local agent's inner point z_i ≈ x*(λ) and
// its λ_i, each agent i gets v_i ≈ dF/dλ_i,
//   dF/dλ_i = (1/n) ∇_λ f_i − J_i [Σ_j H_j]⁻¹ (1/n) Σ_j ∇_x f_j.
//   hgp               HGP, Terashita & Hara: M Neumann steps, each averaging a d-vector by S
//   push-sum
//                     rounds; d + 1 numbers per message, M HVPs and M JVPs per agent.
//   exact             the formula itself, dense, at the given points (every H_j gathered; small d).
//   server-neumann    HGP's recursion with the exact average of each step (gathered and summed in
//                     agent order): the accuracy HGP would have with a server.
//   hessian-exchange  push-sum on (vec H_i, ∇_x f_i / n) for S rounds, then a local solve:
//                     d² + d + 1 numbers per message.
//   local             each agent alone: (1/n) [∇_λ f_i − J_i H_i⁻¹ ∇_x f_i] (CG); no communication.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hyperpush/bilevel/agent_set.hpp"
#include "hyperpush/consensus/gossip.hpp"

namespace hyperpush::bilevel {

enum class HypergradientMethod { hgp, exact, server_neumann, hessian_exchange, local };

// The methods' names in configs and messages, indexed by the enum ("hgp", "exact", ...;
// method_names.cpp).
const std::vector<std::string>& hypergradient_method_names();

// How hgp and server-neumann sum the series for H̄⁻¹ ū (neumann_recursion.hpp), ū = (1/n²) Σ_j ∇_x
// f_j:
//   neumann    Σ_m α (I − αH̄)^m ū: error ~ (1 − 1/κ)^M, κ = λ_max/λ_min of H̄.
//   chebyshev  Chebyshev semi-iteration on the spectrum bounds [μ, L] of H̄, L = 1/α: error
//              ~ 2((√κ − 1)/(√κ + 1))^M. The same averaging per step (one d-vector), no inner
//              products, so push-sum's inexact averages enter as they do in neumann.
enum class Series { neumann, chebyshev };
const std::vector<std::string>& series_names();  // indexed by the enum

struct HypergradientOptions {
  HypergradientMethod method = HypergradientMethod::hgp;
  Series series = Series::neumann;
  int depth = 100;       // M
  int push_rounds = 10;  // S
  // Minibatch HGP (hgp, server-neumann): each Neumann step's HVP and JVP of agent i take the mean
  // over `batch` of its training samples, its outer gradients over `outer_batch` of its validation
  // samples (0, or at least the part's size: all), drawn without replacement by the counter RNG
  // from (seed, draw, agent, step): unbiased, and the same on every rank count.
  int batch = 0;
  int outer_batch = 0;
  std::uint64_t seed = 0;
  std::int64_t draw = 0;  // which hyper-gradient of the run (hpo: the outer step)
  double alpha = 0.0;     // Neumann step; 0 = 1 / (1.05 λ̂_max(H̄)) by power iteration
  // chebyshev: the lower bound μ of H̄'s spectrum; 0 = L − λ̂_max(L·I − H̄) by the same power
  // iteration on the shifted products (it approaches from above: a μ too high slows the modes
  // below it, it never makes the recursion diverge).
  double mu = 0.0;
  int power_iterations = 30;
  // Push-sum rounds per power iteration. Kept apart from S: with few rounds the agents' estimates
  // of λ_max, and so their α, differ, and a Neumann recursion with unequal α is biased.
  int power_push_rounds = 20;
  // Max-consensus rounds after the power iteration, so that every agent uses the same α (the
  // largest estimate): (n − 1)·B makes the agreement exact (max_consensus.hpp); 0 skips it. The
  // rounds run are the schedule's own flooding time when it is known and shorter
  // (Gossip::flooding_rounds).
  std::int64_t agreement_rounds = 0;
  // Method local: conjugate gradients on H_i q = ∇_x f_i to ‖r‖ ≤ cg_tolerance ‖∇_x f_i‖, at most
  // cg_iterations Hessian-vector products (0: 10 d), stopped at non-positive curvature.
  double cg_tolerance = 1e-12;
  int cg_iterations = 0;
};

// The first step at which a local agent's Neumann recursion diverged (neumann_recursion.hpp), with
// the figures there; step 0: none did.
struct NeumannDivergence {
  int step = 0;
  double w_norm = 0, v_norm = 0;  // ‖ŵ_i‖ and ‖v_i‖ of the agent that tripped
  double rate = 0;                // ‖ŵ_i‖ growth per step (NaN when unknown)
};

struct HypergradientResult {
  std::vector<model::Vector> v;  // per local agent
  double alpha = 0.0;            // the step used (agent `first`'s, when estimated)
  double mu = 0.0;               // chebyshev: the lower bound used (likewise); neumann: 0
  std::int64_t hvp_count = 0;    // Hessian-vector products per agent
  std::int64_t jvp_count = 0;    // Jacobian-vector products per agent
  NeumannDivergence divergence;  // over the local agents (hgp, server-neumann)
  // With NeumannCheckpoints::record_path: per local agent, v_i after steps 1, ..., M (p numbers
  // each): the hyper-gradient at every depth.
  std::vector<std::vector<double>> path;
};

// The Neumann recursion (hgp, server-neumann) after `step` of its M steps: everything the
// remaining steps depend on, per local agent (agent order), so that a checkpoint of it continues on
// any rank count. `watch` is each agent's divergence watch (neumann_recursion.hpp) as numbers.
struct NeumannState {
  int step = 0;
  std::vector<double> alpha;
  std::vector<double> mu;  // chebyshev; empty: neumann
  std::vector<model::Vector> u, v;
  std::vector<model::Vector> direction;  // chebyshev: each agent's last step direction
  std::vector<std::vector<double>> watch;
  std::vector<std::vector<double>> path;  // HypergradientResult::path so far (when recorded)
};

// Checkpoints of the Neumann recursion (hgp, server-neumann; other methods ignore them).
struct NeumannCheckpoints {
  // Called at every step boundary 1 ≤ m < M with a function that returns the state there.
  std::function<void(int step, const std::function<NeumannState()>& state)> at_step;
  // When given: continue from this state (α is in it: no power iteration).
  const NeumannState* from = nullptr;
  // Keep v_i after every step (HypergradientResult::path).
  bool record_path = false;
};

HypergradientResult compute_hypergradient(consensus::Gossip& gossip, const AgentSet& agents,
                                          const std::vector<model::Vector>& z,
                                          const HypergradientOptions& options,
                                          const NeumannCheckpoints& checkpoints = {});

// Collective, outside the algorithm (a task's health check, like its metrics): throws the same
// hyperpush::Divergence on every rank when any agent's Neumann recursion diverged or any v_i is not
// finite, naming the method, the step, the figures and the setting to change.
void check_hypergradient(const consensus::Gossip& gossip, const HypergradientResult& result,
                         const HypergradientOptions& options);

// The exact formula at z (every agent's own z_i is used for its terms); refuses when n·d² is too
// large to gather (> 5e7 numbers) with a hyperpush::Error.
std::vector<model::Vector> exact_hypergradient(const comm::Communicator& comm,
                                               const comm::AgentMap& map, const AgentSet& agents,
                                               const std::vector<model::Vector>& z);

// λ̂_max(H̄) with H̄ = (1/n) Σ_j H_j(z_j), by options.power_iterations iterations of power
// iteration whose averaging is push-sum over options.power_push_rounds rounds per iteration (d + 1
// numbers per message), each product on a minibatch of its own with options.batch. Each agent gets
// its own estimate; they agree to push-sum accuracy (compute_hypergradient then makes them equal).
// With `shift` (one per local agent): λ̂_max(shift_i·I − H̄) instead.
std::vector<double> push_sum_power_iteration(consensus::Gossip& gossip, const AgentSet& agents,
                                             const std::vector<model::Vector>& z,
                                             const HypergradientOptions& options,
                                             const std::vector<double>& shift = {});

}  // namespace hyperpush::bilevel
