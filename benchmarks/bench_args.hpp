#pragma once
// What every benchmark of scripts/bench.sh takes besides its own arguments:
//   --quick      a smoke run (smallest sizes, fewest repetitions) that checks that it runs and what
//                it writes, for CI; its figures mean nothing
//   --json FILE  its figures as one JSON object, written atomically (FILE.tmp, then renamed)
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hyperpush::bench {

struct Args {
  bool quick = false;
  std::string json;               // empty: no file
  std::vector<std::string> rest;  // the benchmark's own arguments, in order
};

inline Args parse_args(int argc, char** argv) {
  Args args;
  for (int k = 1; k < argc; ++k) {
    const std::string arg = argv[k];
    if (arg == "--quick")
      args.quick = true;
    else if (arg == "--json" && k + 1 < argc)
      args.json = argv[++k];
    else
      args.rest.push_back(arg);
  }
  return args;
}

// The k-th own argument as a number, or `fallback`.
inline double arg_or(const Args& args, std::size_t k, double fallback) {
  return k < args.rest.size() ? std::stod(args.rest[k]) : fallback;
}

inline void write_json(const Args& args, const nlohmann::json& figures) {
  if (args.json.empty()) return;
  const std::string staging = args.json + ".tmp";
  std::ofstream(staging) << figures.dump(2) << '\n';
  std::rename(staging.c_str(), args.json.c_str());
}

}  // namespace hyperpush::bench
