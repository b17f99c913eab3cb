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
  data_partition = 6,  // (sample, 0, 0): shuffling and splitting data sets
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
