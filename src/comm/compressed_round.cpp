// Compressed push-sum rounds of the Exchange (ExchangeOptions::compress, compression.hpp).
//
// A round, with x_i = w_i / ω_i, p_i = 1 / |O_i(t)|, γ = compress_step and r_ji the reference of
// edge i → j:
//   sender i, every j ∈ O_i(t) \ i, ascending j:  c = C(x_i − r_ji), r'_ji = r_ji + c,
//                                                 (w_i, ω_i) −= γ p_i ω_i (r'_ji, 1)
//   receiver j, every i ∈ I_j(t) \ j, ascending i, delivered:  r_ji ← r'_ji,
//                                                 (w_j, ω_j) += γ p_i ω_i (r_ji, 1)
// A lost message (faults.drop) leaves r_ji as it was at both ends; its share is gone (plain) or
// stays with the sender (robust: the sender learns of the loss, as from an acknowledgement).
// Each row on the wire is (ω_i, c); a rank's message to a peer rank holds its rows in
// (receiver, sender) order, as robust rounds do (exchange.cpp).
#include <algorithm>
#include <cstring>

#include "hyperpush/comm/exchange.hpp"

namespace hyperpush::comm {

void Exchange::run_compressed_round(const graph::Digraph& g, const double* send, double* recv) {
  begin_round(g);
  post_running_sum_receives(g);
  encode_edges(g, send, recv);
  post_edge_rows();
  wait_all();
  take_encoded_rows(g, recv);
  count_traffic(g);
}

// Every out-edge of a local sender (to other ranks or not) gets its row in send_buffer_, in
// out_edges_ order; recv starts as send less what the senders give away.
void Exchange::encode_edges(const graph::Digraph& g, const double* send, double* recv) {
  const int lo = first_local(), hi = lo + local_count(), n = width_ - 1;
  const double gamma = options_.compress.step;
  const bool lossy = options_.drop > 0;
  ratios_.resize(static_cast<std::size_t>(local_count()) * n);
  scratch_.resize(n);
  out_edges_.clear();
  for (int i = lo; i < hi; ++i) {
    const double* w = send + static_cast<std::size_t>(i - lo) * width_;
    double* x = ratios_.data() + static_cast<std::size_t>(i - lo) * n;
    for (int k = 0; k < n; ++k) x[k] = w[k] / w[n];
    for (const int* j = g.out_begin(i); j != g.out_end(i); ++j)
      if (*j != i) out_edges_.emplace_back(*j, i);
  }
  std::sort(out_edges_.begin(), out_edges_.end());
  std::copy_n(send, static_cast<std::size_t>(local_count()) * width_, recv);
  if (send_buffer_.size() < out_edges_.size() * wire_width_)
    send_buffer_.resize(out_edges_.size() * wire_width_);
  // By sender, ascending receiver (O_i(t) is sorted): the order in which its shares leave its row.
  for (int i = lo; i < hi; ++i)
    for (const int* to = g.out_begin(i); to != g.out_end(i); ++to) {
      if (*to == i) continue;
      const int j = *to;
      const std::size_t e = edge_row(j, i);
      const double* w = send + static_cast<std::size_t>(i - lo) * width_;
      const std::uint64_t edge = static_cast<std::uint64_t>(i) * map_.agents() + j;
      auto* row = reinterpret_cast<unsigned char*>(send_buffer_.data() + e * wire_width_);
      std::memcpy(row, &w[n], sizeof(double));
      double* reference = running_sum(sent_index_, sent_pool_, i, j);
      codec_->encode(ratios_.data() + static_cast<std::size_t>(i - lo) * n, reference,
                     row + sizeof(double), edge, position_->round);
      if (lossy && lost(i, j)) {                     // the edge keeps its reference
        if (options_.robust) continue;               // and the sender, told of the loss, its share
        std::copy_n(reference, n, scratch_.data());  // plain: the share is gone all the same
        reference = scratch_.data();
      }
      codec_->apply(row + sizeof(double), reference, edge, position_->round);
      const double share = gamma / g.out_degree(i) * w[n];
      double* out = recv + static_cast<std::size_t>(i - lo) * width_;
      for (int k = 0; k < n; ++k) out[k] -= share * reference[k];
      out[n] -= share;
    }
}

std::size_t Exchange::edge_row(int to, int from) const {
  return static_cast<std::size_t>(
      std::lower_bound(out_edges_.begin(), out_edges_.end(), std::pair{to, from}) -
      out_edges_.begin());
}

void Exchange::take_encoded_rows(const graph::Digraph& g, double* recv) {
  const int lo = first_local(), hi = lo + local_count(), n = width_ - 1;
  const double gamma = options_.compress.step;
  const bool lossy = options_.drop > 0;
  std::size_t edge = 0;
  for (int j = lo; j < hi; ++j) {
    double* out = recv + static_cast<std::size_t>(j - lo) * width_;
    for (const int* s = g.in_begin(j); s != g.in_end(j); ++s, ++edge) {
      if (*s == j || (lossy && lost(*s, j))) continue;
      const double* row = in_rows_[edge] < 0  // a local sender's row stays in send_buffer_
                              ? send_buffer_.data() + edge_row(j, *s) * wire_width_
                              : recv_buffer_.data() + in_rows_[edge] * wire_width_;
      double omega;
      std::memcpy(&omega, row, sizeof omega);
      double* reference = running_sum(seen_index_, seen_pool_, *s, j);
      codec_->apply(reinterpret_cast<const unsigned char*>(row + 1), reference,
                    static_cast<std::uint64_t>(*s) * map_.agents() + j, position_->round);
      const double share = gamma / g.out_degree(*s) * omega;
      for (int k = 0; k < n; ++k) out[k] += share * reference[k];
      out[n] += share;
    }
  }
}

}  // namespace hyperpush::comm
