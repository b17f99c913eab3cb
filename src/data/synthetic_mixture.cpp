#include "hyperpush/data/synthetic_mixture.hpp"

#include <cmath>
#include <string>

#include "hyperpush/data/dirichlet.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"
#include "number_text.hpp"

namespace hyperpush::data {
namespace {

[[noreturn]] void invalid(const std::string& key, const std::string& value,
                          const std::string& valid) {
  throw Error("synthetic-mixture: " + key + " = " + value + " is out of range; valid: " + valid);
}

void check(int agents, const SyntheticMixtureSpec& spec) {
  if (agents < 1) invalid("agents", std::to_string(agents), "at least 1");
  if (spec.components < 1) invalid("components", std::to_string(spec.components), "at least 1");
  if (spec.dim < 1) invalid("dim", std::to_string(spec.dim), "at least 1");
  if (!(std::isfinite(spec.dirichlet_alpha) && spec.dirichlet_alpha > 0))
    invalid("dirichlet_alpha", detail::number_text(spec.dirichlet_alpha), "a finite number > 0");
  if (!(std::isfinite(spec.noise) && spec.noise >= 0))
    invalid("noise", detail::number_text(spec.noise), "a finite number >= 0");
  if (!(std::isfinite(spec.low) && std::isfinite(spec.high) && spec.low < spec.high))
    throw Error("synthetic-mixture: the box [low, high] = [" + detail::number_text(spec.low) +
                ", " + detail::number_text(spec.high) + "] is empty; valid: finite low < high");
}

}  // namespace

SyntheticMixtureTask synthetic_mixture_task(int agents, std::uint64_t seed,
                                            const SyntheticMixtureSpec& spec) {
  check(agents, spec);
  SyntheticMixtureTask task;
  const double width = spec.high - spec.low;
  // θ_c ~ U[low, high]^dim
  task.theta.resize(static_cast<std::size_t>(spec.components));
  for (int c = 0; c < spec.components; ++c)
    for (int j = 0; j < spec.dim; ++j)
      task.theta[c].push_back(spec.low +
                              width * random_uniform(seed, Purpose::mixture_components, c, j, 0));
  // π_i ~ Dirichlet(α · 1_C)
  for (int i = 0; i < agents; ++i)
    task.weights.push_back(symmetric_dirichlet_sample(spec.components, spec.dirichlet_alpha, seed,
                                                      Purpose::mixture_weights, i));
  return task;
}

std::vector<Dataset> synthetic_mixture(int agents, std::size_t samples_per_agent,
                                       std::uint64_t seed, const SyntheticMixtureSpec& spec,
                                       MixtureSampleSet set, int first, int count) {
  check(agents, spec);
  if (samples_per_agent == 0) invalid("samples_per_agent", "0", "at least 1");
  const SyntheticMixtureTask task = synthetic_mixture_task(agents, seed, spec);
  const double width = spec.high - spec.low;
  const auto dim = static_cast<std::size_t>(spec.dim);
  if (count < 0) count = agents - first;
  if (first < 0 || first + count > agents)
    throw Error("synthetic-mixture: agents [" + std::to_string(first) + ", " +
                std::to_string(first + count) + ") outside [0, " + std::to_string(agents) + ")");
  std::vector<Dataset> out(static_cast<std::size_t>(count));
  for (int i = first; i < first + count; ++i) {
    Dataset& d = out[i - first];
    d.source = "synthetic-mixture agent " + std::to_string(i);
    d.rows = samples_per_agent;
    d.cols = dim;
    d.classes = 2;
    d.features.resize(samples_per_agent * dim);
    d.labels.resize(samples_per_agent);
    const std::uint64_t a = static_cast<std::uint64_t>(i) + (static_cast<std::uint64_t>(set) << 32);
    const std::vector<double>& pi = task.weights[i];
    for (std::size_t s = 0; s < samples_per_agent; ++s) {
      // c ~ Categorical(π_i) by inverse CDF (slot 0)
      const double u = random_uniform(seed, Purpose::mixture_samples, a, s, 0);
      std::size_t c = pi.size() - 1;
      double cumulative = 0;
      for (std::size_t k = 0; k < pi.size(); ++k) {
        cumulative += pi[k];
        if (u < cumulative) {
          c = k;
          break;
        }
      }
      // x ~ U[low, high]^dim (slots 1 .. dim), independent of c
      double* x = d.features.data() + s * dim;
      for (std::size_t j = 0; j < dim; ++j)
        x[j] = spec.low + width * random_uniform(seed, Purpose::mixture_samples, a, s, 1 + j);
      // ε ~ N(0, σ²) (slots dim + 1, dim + 2);  y = 1[θ_cᵀx + ε > 0]
      const double u1 = random_uniform(seed, Purpose::mixture_samples, a, s, dim + 1);
      const double u2 = random_uniform(seed, Purpose::mixture_samples, a, s, dim + 2);
      const double noise =
          spec.noise * std::sqrt(-2.0 * std::log1p(-u1)) * std::cos(6.283185307179586 * u2);
      double score = 0;
      for (std::size_t j = 0; j < dim; ++j) score += task.theta[c][j] * x[j];
      d.labels[s] = score + noise > 0 ? 1 : 0;
    }
  }
  return out;
}

}  // namespace hyperpush::data
