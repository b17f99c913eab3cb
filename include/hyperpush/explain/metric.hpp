#pragma once
// The relevance metrics R(z, z') of similarity-based explanation (specs/explain.md, "Metrics";
// Hanawa et al., ICLR 2021), by their names in configs and results. Higher = more relevant.
//
// Implemented for linear (softmax regression) models: the input-space metrics x_* and the
// gradient metrics. last_* and all_* need hidden layers (MLP / CNN, torch backend) and are not
// implemented yet.
#include <string>
#include <vector>

namespace hyperpush::explain {

enum class Metric {
  x_l2,   // −‖x − x'‖ on the raw input
  x_cos,  // cos(x, x')
  x_dot,  // x · x'
  if_,    // influence function g(z)ᵀ H̃⁻¹ g(z'), H̃ = H + δ I           ("if")
  rif,    // relative IF cos(H̃^{-1/2} g(z), H̃^{-1/2} g(z'))
  fk,     // Fisher kernel g(z)ᵀ F̃⁻¹ g(z'), F = (1/N) Σ g_i g_iᵀ (empirical Fisher) + δ I
  grad_dot,  // GD: g(z) · g(z')
  grad_cos,  // GC: cos(g(z), g(z')), 0 when a norm is 0
};

// Names in the order above ("x_l2", ..., "grad_cos").
const std::vector<std::string>& metric_names();
const std::string& metric_name(Metric metric);
// True for the metrics that use the model's loss gradients (all but x_*).
bool uses_gradients(Metric metric);
// True for if, rif, fk (they need a damped curvature matrix).
bool uses_curvature(Metric metric);

// Parses a comma-separated list such as "grad_cos, x_cos" (spaces ignored, no duplicates, not
// empty). Throws hyperpush::Error naming `key` and the valid names otherwise; names of metrics
// that need hidden layers (last_*, all_*) get a message saying so.
std::vector<Metric> parse_metrics(const std::string& list, const std::string& key);

}  // namespace hyperpush::explain
