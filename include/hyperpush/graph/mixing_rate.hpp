#pragma once
// How fast push-sum mixes on a schedule in the long run, for the step rules that depend on it (the
// inner solvers' automatic step, bilevel/inner_solver.hpp). The schedule analysis's contraction
// rate is a geometric mean over its first check_rounds rounds, which for slowly mixing schedules
// (a directed ring: ρ = cos(π/n)) is dominated by the fast early decay and underestimates ρ; here
// the rate is read off the tail of the error curve, over as many rounds as the tail needs.
#include <cstdint>

#include "hyperpush/graph/schedule.hpp"

namespace hyperpush::graph {

struct MixingRate {
  double rate = 0.0;        // ρ = (e_T / e_{T/2})^{2/T}; 0 when push-sum averages exactly
  bool symmetric = true;    // every edge u→v of rounds [0, T) comes with v→u in the same round
  std::int64_t rounds = 0;  // T
};

// Push-sum on the analysis's 4 probe vectors (graph/analysis.hpp) over rounds [0, T), T doubled
// from 64 until T·(1 − ρ) ≥ 4 (the slowest mode dominates), the error reaches rounding (1e-13; ρ is
// then read before it), T = max_rounds, or agents × edges × T passes max_work.
MixingRate estimate_mixing_rate(Schedule& s, std::int64_t max_rounds = std::int64_t{1} << 16,
                                double max_work = 2e8);

}  // namespace hyperpush::graph
