#pragma once
// The counter-based generator behind every random draw in hyperpush (specs/hgp.md, "Randomness").
//
// A draw is a pure function of its key (seed, purpose, a, b, c); nothing is stateful, so any rank,
// any agent count per rank, and any other implementation (numpy: see
// tests/graph/replay_schedule.py) regenerates exactly the same numbers:
//
//   mix(z)  = splitmix64 finalizer: z += 0x9E3779B97F4A7C15;
//             z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
//             return z ^ (z >> 31)                                  (all arithmetic mod 2^64)
//   bits    = mix(mix(mix(mix(mix(seed) ^ purpose) ^ a) ^ b) ^ c)
//   uniform = (bits >> 11) * 2^-53                                   in [0, 1)
//   normal  = sqrt(-2 ln(1 - u1)) * cos(2π u2), u1 = uniform(.., c = 2c), u2 = uniform(.., c = 2c +
//   1)
//
// The meaning of (a, b, c) is fixed per purpose and documented next to each purpose below.
#include <cmath>
#include <cstdint>

namespace hyperpush {

enum class Purpose : std::uint64_t {
  edge_rate = 1,       // (u, v, 0): rate r_uv of a random schedule's edge (drawn once)
  edge_active = 2,     // (u, v, t): is edge u→v active in round t
  static_graph = 3,    // (u, v, 0): edge of a graph drawn once (erdos-renyi)
  initial_value = 4,   // (agent, coordinate, 0): initial vector of the `average` task
  contraction = 5,     // (agent, probe, 0): probe vectors of the topology analysis
  data_partition = 6,  // (sample, stream, 0): shuffling and splitting data sets (data/split.hpp)
  tree_split = 7,      // seed = tree seed: (node position, 0, candidate) = the stable tree's race
                       // variable of a candidate split at a node (root 0, children of p: 2p + 1,
                       // 2p + 2), so the fits on D and D \ S share them at every position
  // (tree/exponential_mechanism.hpp); seed = data seed: (sample, 1 + trial, 0) =
  // sort key of a sensitivity trial's removals (tree/sensitivity.hpp)
  // Purposes 8–13 belong to the data layer; every Gamma draw among them consumes c = 0 (the
  // shape < 1 boost) and c = 3t + 1, 3t + 2, 3t + 3 for Marsaglia–Tsang attempt t
  // (data/dirichlet.hpp).
  mixture_weights = 8,     // (agent, component, c): Gamma draws of the agent's Dirichlet mixture
                           // weights in the synthetic mixture task (data/synthetic_mixture.hpp)
  mixture_components = 9,  // (component, coordinate, 0): the component's labelling vector θ_c
  mixture_samples = 10,    // (agent + 2^32·set, sample, slot): component, features and label
                           // noise of one synthetic sample (slots: data/synthetic_mixture.hpp)
  partition_order = 11,    // (scheme, group, position): sort key that shuffles a partition's
                           // samples; scheme 0 = iid (group 0), 1 = dirichlet (group = class)
  label_proportions = 12,  // (class, agent, c): Gamma draws of the class's Dirichlet proportions
                           // over agents (data/partition.hpp)
  agent_split = 13,        // (agent, 0, position): sort key of the agent's train / validation /
                           // test split (data/partition.hpp)
  power_iteration = 20,    // (coordinate, 0, 0): start vector of the decentralized power iteration
  mlp_initial = 21,  // (layer, entry, 0): the fixed initial weights θ0 of the torch backend's
                     // mlp and cnn (layer = conv or linear layer, in θ order), and the
                     // re-initialised TorchScript classifier (torch/torch_problem.hpp)
  explain = 22,      // (stream, i, j) of the explain layer: stream 0 = entry (i, j) of the
                     // gradient projection (explain/gradient_projection.hpp), stream 1 =
                     // weight (feature i, class j) of the randomization test's re-initialised
                     // model (explain/softmax_model.hpp)
  fault = 23,        // (sender, receiver, round): is the message sender → receiver of that
                     // push-sum round lost (faults.drop, comm/exchange.hpp)
  compress = 26,     // (from·agents + to, round, draw): Floyd's draws of the coordinates that a
                     // randk-compressed push-sum message of edge from → to carries in that
                     // round (comm/compression.hpp)
  influence = 25,    // (agent, sample, 0): sort key of a training sample in the influence
                     // task's random removals (app, task influence)
  minibatch = 24,    // (agent, draw·2^32 + 2·step + part, sample): sort key of the sample in
                     // the minibatch of a Neumann step (part 0: training) or of the outer
                     // gradient (step 0, part 1: validation); draw = which hyper-gradient of
                     // the run (bilevel/neumann_recursion.hpp)
};

inline std::uint64_t splitmix64(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

inline std::uint64_t random_bits(std::uint64_t seed, Purpose purpose, std::uint64_t a,
                                 std::uint64_t b, std::uint64_t c) {
  std::uint64_t h = splitmix64(seed);
  h = splitmix64(h ^ static_cast<std::uint64_t>(purpose));
  h = splitmix64(h ^ a);
  h = splitmix64(h ^ b);
  return splitmix64(h ^ c);
}

// Uniform double in [0, 1) with 53 random bits.
inline double random_uniform(std::uint64_t seed, Purpose purpose, std::uint64_t a, std::uint64_t b,
                             std::uint64_t c) {
  return static_cast<double>(random_bits(seed, purpose, a, b, c) >> 11) * 0x1.0p-53;
}

// Standard normal by Box–Muller from the two uniforms keyed (a, b, 2c) and (a, b, 2c + 1).
inline double random_normal(std::uint64_t seed, Purpose purpose, std::uint64_t a, std::uint64_t b,
                            std::uint64_t c) {
  const double u1 = random_uniform(seed, purpose, a, b, 2 * c);
  const double u2 = random_uniform(seed, purpose, a, b, 2 * c + 1);
  return std::sqrt(-2.0 * std::log1p(-u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace hyperpush
