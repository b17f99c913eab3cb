#include "hyperpush/comm/mailbox.hpp"

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <exception>
#include <string>
#include <thread>

#include "hyperpush/comm/mpi_communicator.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::comm {

// inboxes: local_count × width doubles per rank. finished: one double on rank 0, the count of
// ranks that called finish(). Both live in passive-target epochs (lock_all) for their whole life.
struct Mailbox::Window {
  MPI_Win inboxes = MPI_WIN_NULL, finished = MPI_WIN_NULL;
};

namespace {

// Whether every rank of `comm` is on this rank's node (collective).
bool one_node(MPI_Comm comm) {
  MPI_Comm node;
  MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  int node_size = 0, ranks = 0;
  MPI_Comm_size(node, &node_size);
  MPI_Comm_size(comm, &ranks);
  MPI_Comm_free(&node);
  int all = node_size == ranks ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &all, 1, MPI_INT, MPI_MIN, comm);
  return all != 0;
}

// A window of `count` doubles over `comm`, zeroed, in a lock_all epoch; MPI_WIN_NULL if MPI has no
// one-sided component for these ranks. On one node the window is a shared-memory one, so that
// Open MPI's osc sm serves it (a plain MPI_Win_allocate gets osc rdma, 3× slower here).
MPI_Win open_window(MPI_Comm comm, std::size_t count, bool shared) {
  // Every accumulate is MPI_SUM or MPI_NO_OP (the default accumulate_ops, same_op_no_op, allows
  // nothing else to be atomic): a take reads an inbox and then subtracts what it read.
  MPI_Win window = MPI_WIN_NULL;
  double* base = nullptr;
  const auto bytes = static_cast<MPI_Aint>(count * sizeof(double));
  MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN);
  const int rc =
      shared ? MPI_Win_allocate_shared(bytes, sizeof(double), MPI_INFO_NULL, comm, &base, &window)
             : MPI_Win_allocate(bytes, sizeof(double), MPI_INFO_NULL, comm, &base, &window);
  MPI_Comm_set_errhandler(comm, MPI_ERRORS_ARE_FATAL);
  if (rc != MPI_SUCCESS) return MPI_WIN_NULL;
  std::fill_n(base, count, 0.0);
  MPI_Win_lock_all(MPI_MODE_NOCHECK, window);
  return window;
}

}  // namespace

Mailbox::Mailbox(const Communicator& comm, int agents, int width, const ExchangeOptions& options)
    : comm_(comm),
      rank_(comm.rank()),
      map_(agents, comm.size()),
      width_(width),
      options_(options),
      window_(std::make_unique<Window>()),
      zeros_(static_cast<std::size_t>(local_count()) * width, 0.0),
      taken_(zeros_.size()),
      oversubscribed_(static_cast<unsigned>(comm.size()) > std::thread::hardware_concurrency()) {
  if (width < 1)
    throw Error("mailbox: message width must be at least 1, got " + std::to_string(width));
  if (static_cast<std::int64_t>(local_count()) * width > INT_MAX)
    throw Error("mailbox: one rank's inboxes exceed 2^31 numbers");
  const MPI_Comm mpi = to_mpi(comm);
  const bool shared = one_node(mpi);
  window_->inboxes = open_window(mpi, zeros_.size(), shared);
  window_->finished = open_window(mpi, rank_ == 0 ? 1 : 0, shared);
  int ok = window_->inboxes != MPI_WIN_NULL && window_->finished != MPI_WIN_NULL;
  MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, mpi);
  if (!ok)
    throw Error(
        "consensus.mode = \"async\": MPI has no one-sided (RMA) component for these ranks (Open "
        "MPI: osc sm on one node, osc rdma or ucx across nodes); valid here: sync",
        kExitBadInput, true);
  MPI_Barrier(mpi);  // every inbox is zero before anyone sends
}

Mailbox::~Mailbox() {
  if (std::uncaught_exceptions() != 0) return;  // the job is ending; a peer may never free
  for (MPI_Win* w : {&window_->inboxes, &window_->finished}) {
    if (*w == MPI_WIN_NULL) continue;
    MPI_Win_unlock_all(*w);
    MPI_Win_free(w);
  }
}

void Mailbox::send(int agent, const double* row) {
  const int owner = map_.owner(agent);
  const MPI_Aint at = static_cast<MPI_Aint>(agent - map_.first(owner)) * width_;
  MPI_Accumulate(row, width_, MPI_DOUBLE, owner, at, width_, MPI_DOUBLE, MPI_SUM, window_->inboxes);
  ++wire_.messages;
  wire_.bytes += static_cast<std::int64_t>(width_) * sizeof(double);
}

void Mailbox::flush() { MPI_Win_flush_all(window_->inboxes); }

void Mailbox::settle() {
  flush();
  MPI_Barrier(to_mpi(comm_));
}

void Mailbox::take(double* rows) {
  const int count = static_cast<int>(taken_.size());
  if (count == 0) return;
  // Read every number atomically (MPI_NO_OP ignores the zeros), then subtract what was read:
  // whatever a sender added in between stays for the next take.
  MPI_Get_accumulate(zeros_.data(), count, MPI_DOUBLE, taken_.data(), count, MPI_DOUBLE, rank_, 0,
                     count, MPI_DOUBLE, MPI_NO_OP, window_->inboxes);
  MPI_Win_flush(rank_, window_->inboxes);
  for (std::size_t k = 0; k < taken_.size(); ++k) {
    rows[k] += taken_[k];
    taken_[k] = -taken_[k];
  }
  MPI_Accumulate(taken_.data(), count, MPI_DOUBLE, rank_, 0, count, MPI_DOUBLE, MPI_SUM,
                 window_->inboxes);
  MPI_Win_flush(rank_, window_->inboxes);
}

void Mailbox::finish() {
  const double one = 1;
  MPI_Accumulate(&one, 1, MPI_DOUBLE, 0, 0, 1, MPI_DOUBLE, MPI_SUM, window_->finished);
  MPI_Win_flush(0, window_->finished);
}

bool Mailbox::everyone_finished() {
  double count = 0;
  MPI_Fetch_and_op(nullptr, &count, MPI_DOUBLE, 0, 0, MPI_NO_OP, window_->finished);
  MPI_Win_flush(0, window_->finished);
  return count >= map_.ranks();
}

}  // namespace hyperpush::comm
