#pragma once
// The synthetic task of the HGP paper's first experiment (Terashita & Hara, arXiv:2210.02129,
// "hyper-gradient error vs depth"; specs/hgp.md, "Experiments in the paper"): binary
// classification, 3 components in dimension 5, each agent's samples from its own Dirichlet(0.4)
// mixture of the components, 100 samples per agent.
//
// Generative model — the one of the authors' code (github.com/hitachi-rd-cv/pdbo-hgp,
// lib_task/dataset.py SyntheticMixtureDataset, configured by config/paper/error_synth_*.py; it
// comes from FedEM, Marfoq et al., NeurIPS 2021). The components differ in how they LABEL a point,
// not in where the points lie (so "Gaussian mixture" is a loose name: the features are uniform):
//
//   θ_c ~ U[low, high]^dim           for each component c, drawn once      ([−1, 1], dim = 5)
//   π_i ~ Dirichlet(α · 1_C)          for each agent i, drawn once          (α = 0.4, C = 3)
//   per sample of agent i:  c ~ Categorical(π_i),  x ~ U[low, high]^dim (independent of c),
//                           y = 1[θ_cᵀ x + ε > 0],  ε ~ N(0, σ²)            (σ = 0.1)
//
// The authors write y = round(sigmoid(θ_cᵀx + ε)), which is the same 1[θ_cᵀx + ε > 0] (numpy rounds
// 0.5 to 0). Every component labels half the cube 1, so labels are balanced; components disagree,
// so one linear model fits an agent only as well as its mixture is concentrated, and a shared
// model needs every agent's data. One deliberate difference: in the authors' code the row offset
// of each component's block is never advanced, so every component overwrites the labels of the
// first rows and rows past the largest block keep y = 0; here each sample is labelled by its own
// component, which is the model their code evidently intends. They draw the
// block sizes as Multinomial(n, π_i) and shuffle; drawing each sample's component independently,
// as here, gives the same distribution.
//
// Randomness (random.hpp; U(...) = random_uniform(seed, ...)):
//   θ_c[j] = low + (high − low) · U(mixture_components, c, j, 0)
//   π_i    = symmetric_dirichlet_sample(C, α, seed, mixture_weights, i)        (data/dirichlet.hpp)
//   sample s of agent i in sample set `set`: a = i + 2^32 · set, b = s, and slot c:
//     c = 0:            component: the first c with u < π_i[0] + ... + π_i[c] (sum in order), else
//                       C − 1
//     c = 1 .. dim:     x[c − 1] = low + (high − low) · u
//     c = dim + 1, + 2: ε = σ · sqrt(−2 ln(1 − u₁)) · cos(2π u₂)  (ln(1 − u) as log1p(−u))
//     y = 1 when Σ_j θ_c[j] x[j] (summed in j order) + ε > 0, else 0.
// The task (θ, π) depends on the seed only, not on the agent count or the sample counts, and
// agent i's samples do not depend on other agents: more agents or more samples extend a data set,
// they do not redraw it.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hyperpush/data/dataset.hpp"

namespace hyperpush::data {

// The paper's sizes: 100 samples per agent for training and as many for validation, each drawn
// from the agent's distribution, and 5000 test samples per agent.
inline constexpr std::size_t kMixtureSamplesPerAgent = 100;
inline constexpr std::size_t kMixtureTestSamplesPerAgent = 5000;

struct SyntheticMixtureSpec {
  int components = 3;            // C
  int dim = 5;                   // features
  double dirichlet_alpha = 0.4;  // α of every agent's mixture weights; small α: each agent mostly
                                 // sees one component (non-iid), large α: all see the same mixture
  double noise = 0.1;            // σ of the label noise ε
  double low = -1, high = 1;     // the box of the features x and of the components θ_c
};

// Independent sample sets of one task (same θ and π): the paper draws each agent's training,
// validation and test data separately.
enum class MixtureSampleSet : std::uint64_t { train = 0, validation = 1, test = 2 };

// The task's parameters: theta[c] (dim numbers) and weights[i] (C numbers, summing to 1).
struct SyntheticMixtureTask {
  std::vector<std::vector<double>> theta;
  std::vector<std::vector<double>> weights;
};

// θ and π for agents 0 .. agents − 1. Throws hyperpush::Error when agents < 1 or the spec is
// invalid (components, dim >= 1; α finite > 0; σ finite >= 0; low < high, both finite).
SyntheticMixtureTask synthetic_mixture_task(int agents, std::uint64_t seed,
                                            const SyntheticMixtureSpec& spec = {});

// One data set per agent, `samples_per_agent` rows each, `spec.dim` features, 2 classes (labels 0
// and 1), source "synthetic-mixture agent <i>". Throws hyperpush::Error as synthetic_mixture_task,
// and when samples_per_agent is 0. Only agents [first, first + count) when count >= 0 (a rank's
// own: every sample is a pure function of (seed, agent, sample), so they are the same bits).
std::vector<Dataset> synthetic_mixture(int agents, std::size_t samples_per_agent,
                                       std::uint64_t seed, const SyntheticMixtureSpec& spec = {},
                                       MixtureSampleSet set = MixtureSampleSet::train,
                                       int first = 0, int count = -1);

}  // namespace hyperpush::data
