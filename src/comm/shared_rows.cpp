#include "shared_rows.hpp"

#include <exception>
#include <new>

namespace hyperpush::comm {
namespace {

constexpr std::size_t kLine = 64;  // the rows start on a cache line

std::size_t round_up(std::size_t bytes) { return (bytes + kLine - 1) / kLine * kLine; }

}  // namespace

std::unique_ptr<SharedRows> SharedRows::open(MPI_Comm comm, const std::vector<int>& rows,
                                             int width) {
  int rank = 0, ranks = 0, node_size = 0;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);
  MPI_Comm node;
  MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  MPI_Comm_size(node, &node_size);
  int all_on_node = node_size == ranks ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &all_on_node, 1, MPI_INT, MPI_MIN, comm);
  if (!all_on_node) {
    MPI_Comm_free(&node);
    return nullptr;
  }
  std::unique_ptr<SharedRows> out(new SharedRows);
  out->rank_ = rank;
  out->ranks_ = ranks;
  out->header_bytes_ = round_up(sizeof(std::atomic<std::int64_t>) * 2 * (1 + ranks));
  for (const int r : rows) out->slot_numbers_.push_back(static_cast<std::size_t>(r) * width);
  const std::size_t bytes = out->header_bytes_ + 2 * sizeof(double) * out->slot_numbers_[rank];
  // A window that cannot be had (little /dev/shm in a container) is no error: messages then.
  MPI_Comm_set_errhandler(node, MPI_ERRORS_RETURN);
  char* mine = nullptr;
  int ok = MPI_Win_allocate_shared(static_cast<MPI_Aint>(bytes), 1, MPI_INFO_NULL, node, &mine,
                                   &out->window_) == MPI_SUCCESS;
  MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, comm);
  if (!ok) {
    if (out->window_ != MPI_WIN_NULL) MPI_Win_free(&out->window_);
    MPI_Comm_free(&node);
    return nullptr;
  }
  // The node communicator's ranks are comm's (one node, key 0 keeps the order).
  out->base_.resize(ranks);
  for (int q = 0; q < ranks; ++q) {
    MPI_Aint size = 0;
    int unit = 0;
    MPI_Win_shared_query(out->window_, q, &size, &unit, &out->base_[q]);
  }
  auto* counters = reinterpret_cast<std::atomic<std::int64_t>*>(mine);
  for (int k = 0; k < 2 * (1 + ranks); ++k) new (counters + k) std::atomic<std::int64_t>(-1);
  MPI_Comm_free(&node);
  MPI_Barrier(comm);  // every segment's counters exist before anyone reads them
  return out;
}

SharedRows::~SharedRows() {
  // Collective; skipped while an error unwinds (the job is ending, and a peer may never free).
  if (window_ != MPI_WIN_NULL && std::uncaught_exceptions() == 0) MPI_Win_free(&window_);
}

std::atomic<std::int64_t>* SharedRows::counters(int rank) const {
  return reinterpret_cast<std::atomic<std::int64_t>*>(base_[rank]);
}

double* SharedRows::rows_of(int rank, std::int64_t round) const {
  return reinterpret_cast<double*>(base_[rank] + header_bytes_) + (round % 2) * slot_numbers_[rank];
}

bool SharedRows::read(int reader, std::int64_t round) const {
  return counters(rank_)[2 + (round % 2) * ranks_ + reader].load(std::memory_order_acquire) >=
         round;
}

void SharedRows::publish(std::int64_t round) {
  counters(rank_)[round % 2].store(round, std::memory_order_release);
}

bool SharedRows::published(int rank, std::int64_t round) const {
  return counters(rank)[round % 2].load(std::memory_order_acquire) == round;
}

void SharedRows::done_reading(int rank, std::int64_t round) {
  counters(rank)[2 + (round % 2) * ranks_ + rank_].store(round, std::memory_order_release);
}

}  // namespace hyperpush::comm
