#pragma once
// The rows of a push round in an MPI shared-memory window, for ranks on one node: each rank writes
// its local agents' rows into its own segment and publishes them; a receiving rank mixes straight
// from its peers' segments (no message, no copy on the receiving side) and then says it is done
// reading. Two slots, alternating by round, let a rank write round r + 1 while round r is read.
//
// Per rank, one segment: published[2] (the round whose rows a slot holds), read[2][ranks] (the last
// round each rank finished reading from a slot), then the two slots of local_rows × width numbers.
// The counters are std::atomic<std::int64_t> in the shared memory (lock-free, hence address-free
// on the platforms MPI's shared windows exist on): a release store after the rows, an acquire load
// before reading them. Internal to the comm layer (exchange.cpp).
#include <mpi.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace hyperpush::comm {

class SharedRows {
 public:
  // Collective over `comm`. Null (on every rank alike) when its ranks are not all on one node or
  // the window cannot be allocated; the caller then sends messages.
  // rows[q]: rank q's local rows (agents) of `width` numbers.
  static std::unique_ptr<SharedRows> open(MPI_Comm comm, const std::vector<int>& rows, int width);
  ~SharedRows();
  SharedRows(const SharedRows&) = delete;
  SharedRows& operator=(const SharedRows&) = delete;

  // This rank's rows of `round` (writable until publish).
  double* own(std::int64_t round) { return rows_of(rank_, round); }
  // Rank `rank`'s published rows of `round` (valid between published() and done_reading()).
  const double* rows(int rank, std::int64_t round) { return rows_of(rank, round); }

  // Whether `reader` has finished reading this rank's rows of `round`.
  bool read(int reader, std::int64_t round) const;
  void publish(std::int64_t round);
  bool published(int rank, std::int64_t round) const;
  void done_reading(int rank, std::int64_t round);

 private:
  SharedRows() = default;
  std::atomic<std::int64_t>* counters(int rank) const;  // published[2], read[2][ranks]
  double* rows_of(int rank, std::int64_t round) const;

  MPI_Win window_ = MPI_WIN_NULL;
  int rank_ = 0, ranks_ = 0;
  std::size_t header_bytes_ = 0;
  std::vector<char*> base_;                // every rank's segment
  std::vector<std::size_t> slot_numbers_;  // every rank's rows × width
};

}  // namespace hyperpush::comm
