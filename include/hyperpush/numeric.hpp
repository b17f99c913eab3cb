#pragma once
// A maximum that keeps a NaN: std::max(a, NaN) is a, so a NaN would vanish from a reported figure
// (an error of NaN printed as 0).
#include <cmath>

namespace hyperpush {

inline double nan_max(double a, double b) { return std::isnan(b) || b > a ? b : a; }

}  // namespace hyperpush
