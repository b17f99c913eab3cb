// The verbs for the Python module (embedding.hpp): run into a folder and read it back, and
// push-sum over a config's schedule on values the caller gives.
#include "hyperpush/app/embedding.hpp"

#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hyperpush/app/commands.hpp"
#include "hyperpush/app/config.hpp"
#include "hyperpush/app/settings.hpp"
#include "hyperpush/comm/gather.hpp"
#include "hyperpush/comm/mpi_communicator.hpp"
#include "hyperpush/consensus/push_sum.hpp"
#include "hyperpush/graph/schedule.hpp"

namespace hyperpush::app {
namespace {

int world_rank() {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

// Rank 0's `text` on every rank.
void broadcast(std::string& text) {
  long long size = static_cast<long long>(text.size());
  MPI_Bcast(&size, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  text.resize(static_cast<std::size_t>(size));
  MPI_Bcast(text.data(), static_cast<int>(size), MPI_CHAR, 0, MPI_COMM_WORLD);
}

// The regular files of `dir` by name (its marker and other dot files left out).
std::map<std::string, std::string> read_folder(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.front() == '.') continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    files[name] = text.str();
  }
  return files;
}

}  // namespace

std::map<std::string, std::string> run_files(const std::string& config_path,
                                             const std::vector<std::string>& overrides,
                                             const std::string& out) {
  const bool temporary = out.empty();
  std::string dir = out;
  if (temporary) {  // rank 0 names a fresh folder; the others need its name (checkpoints)
    if (world_rank() == 0) {
      std::string pattern = (std::filesystem::temp_directory_path() / "hyperpush-XXXXXX").string();
      if (mkdtemp(pattern.data()) == nullptr)
        throw Error("cannot make a temporary folder in " +
                    std::filesystem::temp_directory_path().string());
      dir = pattern + "/results";
    }
    broadcast(dir);
  }
  try {
    run_command(config_path, overrides, dir);
  } catch (const Error&) {  // a failed run wrote nothing; its temporary folder goes too
    if (temporary && world_rank() == 0)
      std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
    throw;
  }
  std::string packed;  // rank 0 reads the folder; every rank gets it: name\0size\0contents...
  if (world_rank() == 0) {
    for (const auto& [name, text] : read_folder(dir))
      packed += name + '\0' + std::to_string(text.size()) + '\0' + text;
    if (temporary) std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
  }
  broadcast(packed);
  std::map<std::string, std::string> files;
  for (std::size_t at = 0; at < packed.size();) {
    const std::size_t name_end = packed.find('\0', at), size_end = packed.find('\0', name_end + 1);
    const std::size_t size = std::stoull(packed.substr(name_end + 1, size_end - name_end - 1));
    files[packed.substr(at, name_end - at)] = packed.substr(size_end + 1, size);
    at = size_end + 1 + size;
  }
  return files;
}

std::vector<double> push_sum_rows(const std::string& config_path,
                                  const std::vector<std::string>& overrides,
                                  const std::vector<double>& values, int d, std::int64_t rounds) {
  Settings settings;
  int ranks = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  on_all_ranks(MPI_COMM_WORLD, [&] {
    settings = read_settings(Config::load(config_path, overrides));
    settings.agents = agents_of_run(settings.agents, ranks);
  });
  const int n = settings.agents;
  graph::Schedule schedule(settings.topology, n, settings.seed);
  comm::ExchangeOptions options = settings.exchange;
  options.seed = settings.seed;
  const comm::Communicator world = comm::from_mpi(MPI_COMM_WORLD);
  comm::Exchange exchange(world, n, d + 1, options);
  consensus::PushSumAverage push_sum(exchange);
  const int first = exchange.first_local(), local = exchange.local_count();
  for (int i = 0; i < local; ++i)
    std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(first + i) * d, d, push_sum.value(i));
  for (std::int64_t t = 0; t < rounds; ++t) push_sum.round(schedule.round(t));
  std::vector<double> estimates(static_cast<std::size_t>(local) * d);
  for (int i = 0; i < local; ++i) push_sum.estimate(i, estimates.data() + std::size_t(i) * d);
  return comm::allgather_agents(world, exchange.map(), estimates, d);
}

}  // namespace hyperpush::app
