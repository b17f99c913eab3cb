#pragma once
// The relevance metrics R(z, z') of similarity-based explanation (specs/explain.md, "Metrics";
// Hanawa et al., ICLR 2021), by their names in configs and results. Higher = more relevant.
//
// Every metric works on any model::Classifier; last_* and all_* need one with hidden layers (the
// torch backend's mlp / cnn; a softmax regression has none).
#include <string>
#include <vector>

namespace hyperpush::explain {

enum class Metric {
  x_l2,      // −‖x − x'‖ on the raw input
  x_cos,     // cos(x, x')
  x_dot,     // x · x'
  last_l2,   // −‖φ_last(z) − φ_last(z')‖, φ_last = the input of the final linear layer
  last_cos,  // cos(φ_last(z), φ_last(z'))
  last_dot,  // φ_last(z) · φ_last(z')
  all_l2,  // −‖φ_all(z) − φ_all(z')‖, φ_all = every hidden layer's activations, concatenated
  all_cos,  // cos(φ_all(z), φ_all(z'))
  all_dot,  // φ_all(z) · φ_all(z')
  if_,      // influence function g(z)ᵀ H̃⁻¹ g(z'), H̃ = H + δ I           ("if")
  rif,      // relative IF cos(H̃^{-1/2} g(z), H̃^{-1/2} g(z'))
  fk,  // Fisher kernel g(z)ᵀ F̃⁻¹ g(z'), F = (1/N) Σ g_i g_iᵀ (empirical Fisher) + δ I
  grad_dot,  // GD: g(z) · g(z')
  grad_cos,  // GC: cos(g(z), g(z')), 0 when a norm is 0
};

// Names in the order above ("x_l2", ..., "grad_cos").
const std::vector<std::string>& metric_names();
const std::string& metric_name(Metric metric);
// True for the metrics that use the model's loss gradients (if, rif, fk, grad_dot, grad_cos).
bool uses_gradients(Metric metric);
// True for last_* and all_* (they need a model with hidden layers).
bool uses_hidden_layers(Metric metric);
// True for if, rif, fk (they need a damped curvature matrix).
bool uses_curvature(Metric metric);

// Parses a comma-separated list such as "grad_cos, x_cos" (spaces ignored, no duplicates, not
// empty). Throws hyperpush::Error naming `key` and the valid names otherwise.
std::vector<Metric> parse_metrics(const std::string& list, const std::string& key);

}  // namespace hyperpush::explain
