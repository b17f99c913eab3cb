#pragma once
// Feature standardization that does not leak data across agents.
//
// The choice: one GLOBAL standardization, computed from aggregate moments only.
//   1. Each agent computes FeatureMoments of its own TRAINING part (never validation or test, so
//      nothing about held-out data reaches the model): per feature Σ x and Σ x², and the row count.
//   2. The agents average the 2·cols + 1 numbers of moments_to_vector by push-sum (a later layer
//      does the communication; or gathers them and sums in agent order, for results that do not
//      depend on the rank count). Averaging instead of summing changes nothing below: mean and
//      variance are ratios to `count`, and the average of the counts scales like the averages of
//      the sums.
//   3. Every agent turns the result into the same (mean, scale) with `standardization` and applies
//      it to its train, validation and test parts with `standardize`.
// Only 2·cols + 1 aggregate numbers per agent ever travel, no agent's samples leave it, and all
// agents see features on one scale, so one shared model x means the same on every agent. Per-agent
// standardization would leak nothing either, but would make the shared model's coefficients mean
// different things on different agents (a non-iid split has different feature ranges per agent),
// which changes the bilevel problem; a global one computed from raw data would need the data.
// Finitely many push-sum rounds leave the agents' estimates slightly different (spec: push-sum
// converges geometrically); run it until the relative error is far below the constant-feature
// tolerance below, or gather exactly.
#include <vector>

#include "hyperpush/data/dataset.hpp"

namespace hyperpush::data {

struct FeatureMoments {
  std::vector<double> sum;          // Σ_r x_rj, per feature j
  std::vector<double> sum_squares;  // Σ_r x_rj², per feature j
  double count = 0;                 // rows (a double: push-sum averages it)
};

// The moments of all rows of `train` (an agent's training part), summed in row order.
FeatureMoments moments(const Dataset& train);

// total += more, feature by feature (the exact, gathered aggregation). Throws hyperpush::Error when
// the feature counts differ.
void add_moments(FeatureMoments& total, const FeatureMoments& more);

// The message push-sum averages: [sum_0 .. sum_{d−1}, sum_squares_0 .. sum_squares_{d−1}, count].
std::vector<double> moments_to_vector(const FeatureMoments& m);
// Its inverse. Throws hyperpush::Error unless the size is odd (2·d + 1).
FeatureMoments moments_from_vector(const std::vector<double>& v);

struct Standardization {
  std::vector<double> mean;   // Σ x / count
  std::vector<double> scale;  // population std sqrt(Σ x² / count − mean²), or 1 (see below)
};

// Mean and scale from summed or averaged moments. A feature counts as constant, and gets scale 1,
// when its variance is at most 1e-10 of its mean square Σ x² / count (std below 1e-5 of its root
// mean square): this absorbs the cancellation in Σ x²/count − mean² and push-sum's averaging error,
// and leaves such a feature centred and unscaled instead of blown up. Throws hyperpush::Error
// unless count > 0 and the vectors have equal sizes.
Standardization standardization(const FeatureMoments& m);

// x_rj ← (x_rj − mean_j) / scale_j for every row. Throws hyperpush::Error when the sizes differ
// from data.cols, or a mean is not finite, or a scale is not finite and > 0.
void standardize(Dataset& data, const std::vector<double>& mean, const std::vector<double>& scale);

}  // namespace hyperpush::data
