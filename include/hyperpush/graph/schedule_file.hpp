#pragma once
// Edge-list schedule files: explicit directed edges per round (topologies/README.md).
//
//   # comment (from '#' to the end of any line)
//   agents N          first line that is not blank or a comment, N >= 1
//   rounds R          next such line, R >= 1
//   t u v             one directed edge u -> v active in round t, 0 <= t < R, 0 <= u, v < N;
//                     any order; duplicates allowed; self-loops allowed and ignored (implicit)
//
// The `file` topology kind cycles through the R rounds: G(t) = round (t mod R).
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "hyperpush/graph/digraph.hpp"
#include "hyperpush/graph/schedule.hpp"

namespace hyperpush::graph {

struct EdgeSchedule {
  int agents = 0;
  std::vector<EdgeList> rounds;  // rounds[t]: the edges of round t, as listed, self-loops dropped
};

// Reads a schedule file. Throws hyperpush::Error "path:line: what was wrong; what is valid".
EdgeSchedule read_schedule_file(const std::string& path);

// Writes rounds [t0, t1) of `s` (0 <= t0 < t1) as a schedule file with rounds renumbered
// 0 .. t1 - t0 - 1, self-loops omitted, edges sorted by (t, u, v), under a comment header naming
// the kind, seed, agent count and original round range. Reading it back with kind = file gives the
// same G(t0 + t) for every t in [0, t1 - t0).
void write_schedule_file(Schedule& s, std::int64_t t0, std::int64_t t1, std::ostream& out);

}  // namespace hyperpush::graph
