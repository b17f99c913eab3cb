#pragma once
// The linear model cases (kind × hyperparameter kind) of the model backends' parameterised tests,
// named for GoogleTest, and a λ of each kind's scale.
#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "hyperpush/model/linear_problem.hpp"
#include "model/oracle_checks.hpp"

namespace hyperpush::model::test {

struct LinearCase {
  LinearKind kind;
  HyperKind hyper;
};

inline std::string name_of(const LinearCase& c) {
  const char* kinds[] = {"logistic", "softmax", "ridge"};
  const char* hypers[] = {"l2", "per_feature", "per_sample", "per_class"};
  return std::string(kinds[static_cast<int>(c.kind)]) + "_" + hypers[static_cast<int>(c.hyper)];
}
inline std::string case_name(const testing::TestParamInfo<LinearCase>& info) {
  return name_of(info.param);
}
inline void PrintTo(const LinearCase& c, std::ostream* os) { *os << name_of(c); }

// Every kind with every hyperparameter kind it has (per-class needs one logit per class: softmax).
inline std::vector<LinearCase> all_linear_cases() {
  std::vector<LinearCase> out;
  for (LinearKind kind : {LinearKind::logistic, LinearKind::softmax, LinearKind::ridge})
    for (HyperKind hyper :
         {HyperKind::l2, HyperKind::per_feature, HyperKind::per_sample, HyperKind::per_class})
      if (hyper != HyperKind::per_class || kind == LinearKind::softmax)
        out.push_back({kind, hyper});
  return out;
}

// A λ of the kind's scale: log-decays around log 0.37, sample weights around 1, offsets N(0, 1).
inline Vector lambda_of(HyperKind hyper, int p, std::uint64_t seed) {
  switch (hyper) {
    case HyperKind::per_sample:
      return random_vector(p, seed, 1.0, 0.3);
    case HyperKind::per_class:
      return random_vector(p, seed);
    default:
      return random_vector(p, seed, -1.0, 0.5);
  }
}

}  // namespace hyperpush::model::test
