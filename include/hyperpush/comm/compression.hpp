#pragma once
// Compressed push-sum messages (consensus.compress): the codecs and their wire rows.
//
// A compressed push-sum round (comm/exchange.hpp) sends along each edge i → j not the row
// p_ji (w_i, ω_i) but ω_i and a compressed correction of a reference r_ji that both ends of the
// edge keep: with x_i = w_i / ω_i,
//   q = C(x_i − r_ji),  r_ji ← r_ji + q  (on both ends, from the same bytes)
// so the reference tracks x_i with error feedback: what one message leaves out, a later one sends.
// The codecs (one row of n numbers):
//   q8, q4     per block of 256 numbers a float scale s = max|v| / L and codes round(v / s) in
//              [−L, L], L = 127 (one byte each) or 7 (a nibble each); error ≤ s / 2 per number.
//   topk:K     the K numbers of largest magnitude, as (32-bit index, double value) pairs.
//   randk:K    K numbers at indices drawn from (seed, Purpose::compress, from·n_agents + to, round)
//              (both ends draw them, so only the values travel), as doubles.
// The decoded correction is a pure function of the bytes (and, for randk, of the edge and the
// round), so the two copies of a reference stay the same bits on any rank count.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hyperpush::comm {

enum class CompressKind { none, q8, q4, topk, randk };

struct Compression {
  CompressKind kind = CompressKind::none;
  int k = 0;  // topk / randk: numbers kept per row
  // consensus.compress_step γ ∈ (0, 1]: a round moves the share γ·p_ji ω_i (r_ji, 1) along each
  // edge (lazy push-sum, the mixing matrix (1 − γ)I + γP, when r_ji = x_i). Sparsifiers need γ < 1.
  double step = 1;
  bool enabled() const { return kind != CompressKind::none; }
};

// "none", "q8", "q4", "topk:K", "randk:K" (K ≥ 1); throws hyperpush::ConfigError naming
// consensus.compress and the valid forms otherwise.
Compression parse_compression(const std::string& text);
// The canonical spelling (what parse_compression reads back).
std::string compression_name(const Compression& c);

// The codec of one message width: rows of `numbers` numbers.
class Codec {
 public:
  // Throws hyperpush::ConfigError when K exceeds `numbers`.
  Codec(const Compression& c, int numbers, std::uint64_t seed);

  int numbers() const { return numbers_; }
  // Bytes of one encoded correction.
  std::size_t bytes() const { return bytes_; }

  // Writes C(x − ref) to `out` (bytes() bytes); ref is left as it is.
  void encode(const double* x, const double* ref, unsigned char* out, std::uint64_t edge,
              std::int64_t round);
  // ref += the correction in `in`.
  void apply(const unsigned char* in, double* ref, std::uint64_t edge, std::int64_t round);

 private:
  // randk: the round's K indices of `edge`, ascending, into indices_.
  void draw_indices(std::uint64_t edge, std::int64_t round);

  Compression c_;
  int numbers_;
  std::uint64_t seed_;
  std::size_t bytes_ = 0;
  std::vector<double> delta_;
  std::vector<std::uint32_t> indices_, order_;
  std::vector<char> taken_;
};

}  // namespace hyperpush::comm
