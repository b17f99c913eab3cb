// file: the edges of every round read from an edge-list schedule file (schedule_file.hpp,
// topologies/README.md), cycled: G(t) = the file's round (t mod R). Period R. The file's agent
// count must equal the run's. As scalable as the file's edges are; marked not scalable because
// nothing bounds them.
#include <memory>
#include <string>
#include <utility>

#include "hyperpush/error.hpp"
#include "hyperpush/graph/schedule_file.hpp"
#include "topology_kinds.hpp"

namespace hyperpush::graph::topologies {
namespace {

class File final : public Topology {
 public:
  explicit File(EdgeSchedule schedule) : schedule_(std::move(schedule)) {}
  void edges(std::int64_t t, EdgeList& out) const override {
    const EdgeList& round = schedule_.rounds[static_cast<std::size_t>(t % period())];
    out.insert(out.end(), round.begin(), round.end());
  }
  std::int64_t period() const override {
    return static_cast<std::int64_t>(schedule_.rounds.size());
  }

 private:
  EdgeSchedule schedule_;
};

std::unique_ptr<Topology> make(const TopologySpec& spec, int agents, std::uint64_t) {
  if (spec.file.empty())
    throw Error("topology.file: kind 'file' needs the path of an edge-list schedule file");
  EdgeSchedule schedule = read_schedule_file(spec.file);
  if (schedule.agents != agents)
    throw Error("topology.file: " + spec.file + " declares " + std::to_string(schedule.agents) +
                " agents but the run has " + std::to_string(agents) +
                " agents; they must be equal");
  return std::make_unique<File>(std::move(schedule));
}

}  // namespace

const TopologyKind file = {"file",
                           "edge lists per round read from topology.file, cycled with period R",
                           /*time_varying=*/true, /*scalable=*/false, make};

}  // namespace hyperpush::graph::topologies
