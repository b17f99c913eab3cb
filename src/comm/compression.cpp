#include "hyperpush/comm/compression.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::comm {
namespace {

constexpr int kBlock = 256;  // numbers per quantization scale

const char* const kValid = "valid: none, q8, q4, topk:K, randk:K (K >= 1 numbers per message)";

int levels(CompressKind kind) { return kind == CompressKind::q8 ? 127 : 7; }

int blocks(int numbers) { return (numbers + kBlock - 1) / kBlock; }

// Codes of a quantized row: one signed byte each (q8) or two per byte, offset by 8 (q4).
std::size_t code_bytes(CompressKind kind, int numbers) {
  return kind == CompressKind::q8 ? static_cast<std::size_t>(numbers)
                                  : static_cast<std::size_t>(numbers + 1) / 2;
}

// max |v[i]| over n numbers, NaN if any is: four running maxima, so that the loop vectorizes.
double largest_magnitude(const double* v, int n) {
  double m[4] = {0, 0, 0, 0};
  int i = 0;
  for (; i + 4 <= n; i += 4)
    for (int k = 0; k < 4; ++k) {
      const double a = std::abs(v[i + k]);
      m[k] = a > m[k] || a != a ? a : m[k];
    }
  for (; i < n; ++i) m[0] = std::abs(v[i]) > m[0] || v[i] != v[i] ? std::abs(v[i]) : m[0];
  const double sum = m[0] + m[1] + m[2] + m[3];  // NaN when one is
  return std::isnan(sum) ? sum : std::max(std::max(m[0], m[1]), std::max(m[2], m[3]));
}

}  // namespace

Compression parse_compression(const std::string& text) {
  const auto refuse = [&] {
    throw ConfigError("consensus.compress = \"" + text + "\" is not a compressor; " + kValid);
  };
  Compression c;
  if (text == "none") return c;
  if (text == "q8" || text == "q4") {
    c.kind = text == "q8" ? CompressKind::q8 : CompressKind::q4;
    return c;
  }
  const std::size_t colon = text.find(':');
  const std::string name = text.substr(0, colon);
  if (colon == std::string::npos || (name != "topk" && name != "randk")) refuse();
  const std::string count = text.substr(colon + 1);
  if (count.empty() || count.size() > 9 ||
      !std::all_of(count.begin(), count.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    refuse();
  c.kind = name == "topk" ? CompressKind::topk : CompressKind::randk;
  c.k = std::stoi(count);
  if (c.k < 1) refuse();
  return c;
}

std::string compression_name(const Compression& c) {
  switch (c.kind) {
    case CompressKind::none:
      return "none";
    case CompressKind::q8:
      return "q8";
    case CompressKind::q4:
      return "q4";
    case CompressKind::topk:
      return "topk:" + std::to_string(c.k);
    case CompressKind::randk:
      return "randk:" + std::to_string(c.k);
  }
  return "none";
}

Codec::Codec(const Compression& c, int numbers, std::uint64_t seed)
    : c_(c), numbers_(numbers), seed_(seed), delta_(numbers) {
  switch (c.kind) {
    case CompressKind::none:
      bytes_ = static_cast<std::size_t>(numbers) * sizeof(double);
      break;
    case CompressKind::q8:
    case CompressKind::q4:
      bytes_ = blocks(numbers) * sizeof(float) + code_bytes(c.kind, numbers);
      break;
    case CompressKind::topk:
    case CompressKind::randk:
      if (c.k > numbers)
        throw ConfigError("consensus.compress = \"" + compression_name(c) + "\" keeps " +
                              std::to_string(c.k) + " numbers of a message that has " +
                              std::to_string(numbers) + "; valid: K <= " + std::to_string(numbers) +
                              ", or q8 / q4",
                          true);
      bytes_ = static_cast<std::size_t>(c.k) *
               (sizeof(double) + (c.kind == CompressKind::topk ? sizeof(std::uint32_t) : 0));
      indices_.resize(c.k);
      if (c.kind == CompressKind::randk) taken_.assign(numbers, 0);
      if (c.kind == CompressKind::topk) order_.resize(numbers);
      break;
  }
}

void Codec::draw_indices(std::uint64_t edge, std::int64_t round) {
  // Floyd's sampling: K distinct indices of [0, n) in K draws.
  const int n = numbers_, k = c_.k;
  for (int j = n - k, at = 0; j < n; ++j, ++at) {
    const double u =
        random_uniform(seed_, Purpose::compress, edge, static_cast<std::uint64_t>(round),
                       static_cast<std::uint64_t>(j));
    int pick = std::min(j, static_cast<int>(u * (j + 1)));
    if (taken_[pick]) pick = j;
    taken_[pick] = 1;
    indices_[at] = static_cast<std::uint32_t>(pick);
  }
  for (const std::uint32_t i : indices_) taken_[i] = 0;
  std::sort(indices_.begin(), indices_.end());
}

void Codec::encode(const double* x, const double* ref, unsigned char* out, std::uint64_t edge,
                   std::int64_t round) {
  const int n = numbers_;
  for (int i = 0; i < n; ++i) delta_[i] = x[i] - ref[i];
  switch (c_.kind) {
    case CompressKind::none:
      std::memcpy(out, delta_.data(), bytes_);
      return;
    case CompressKind::q8:
    case CompressKind::q4: {
      const int top = levels(c_.kind);
      unsigned char* codes = out + blocks(n) * sizeof(float);
      if (c_.kind == CompressKind::q4) std::fill_n(codes, code_bytes(c_.kind, n), 0);
      for (int b = 0; b < blocks(n); ++b) {
        const int lo = b * kBlock, hi = std::min(n, lo + kBlock);
        const double largest = largest_magnitude(delta_.data() + lo, hi - lo);
        if (!(largest / top <= std::numeric_limits<float>::max()))
          throw Error("compressed push-sum: a correction of magnitude " + std::to_string(largest) +
                          " is past what " + compression_name(c_) + " encodes (diverged?)",
                      kExitDiverged);
        const float scale = static_cast<float>(largest / top);
        std::memcpy(out + b * sizeof(float), &scale, sizeof scale);
        // code = sign(v)·⌊|v| + ½⌋ (half away from zero), v = delta / scale, within [−L, L]; the
        // q8 loop stays branch-free so that it vectorizes.
        const double s = scale > 0 ? scale : 1;
        if (c_.kind == CompressKind::q8) {
          for (int i = lo; i < hi; ++i) {
            const double v = delta_[i] / s;
            const int q = std::min(static_cast<int>(std::abs(v) + 0.5), top);
            codes[i] = static_cast<unsigned char>(static_cast<signed char>(v < 0 ? -q : q));
          }
        } else {
          for (int i = lo; i < hi; ++i) {
            const double v = delta_[i] / s;
            const int q = std::min(static_cast<int>(std::abs(v) + 0.5), top);
            codes[i / 2] |= static_cast<unsigned char>(((v < 0 ? -q : q) + 8) << (4 * (i % 2)));
          }
        }
      }
      return;
    }
    case CompressKind::topk: {
      std::iota(order_.begin(), order_.end(), 0u);
      // Largest magnitude first; ties to the lower index, so the choice is a function of delta.
      std::nth_element(order_.begin(), order_.begin() + c_.k - 1, order_.end(),
                       [&](std::uint32_t a, std::uint32_t b) {
                         const double ma = std::abs(delta_[a]), mb = std::abs(delta_[b]);
                         return ma > mb || (ma == mb && a < b);
                       });
      std::copy_n(order_.begin(), c_.k, indices_.begin());
      std::sort(indices_.begin(), indices_.end());
      for (int e = 0; e < c_.k; ++e) {
        unsigned char* slot = out + e * (sizeof(std::uint32_t) + sizeof(double));
        std::memcpy(slot, &indices_[e], sizeof(std::uint32_t));
        std::memcpy(slot + sizeof(std::uint32_t), &delta_[indices_[e]], sizeof(double));
      }
      return;
    }
    case CompressKind::randk:
      draw_indices(edge, round);
      for (int e = 0; e < c_.k; ++e)
        std::memcpy(out + e * sizeof(double), &delta_[indices_[e]], sizeof(double));
      return;
  }
}

void Codec::apply(const unsigned char* in, double* ref, std::uint64_t edge, std::int64_t round) {
  const int n = numbers_;
  switch (c_.kind) {
    case CompressKind::none:
      std::memcpy(delta_.data(), in, bytes_);
      for (int i = 0; i < n; ++i) ref[i] += delta_[i];
      return;
    case CompressKind::q8:
    case CompressKind::q4: {
      const unsigned char* codes = in + blocks(n) * sizeof(float);
      for (int b = 0; b < blocks(n); ++b) {
        float scale;
        std::memcpy(&scale, in + b * sizeof(float), sizeof scale);
        const double s = scale;
        const int lo = b * kBlock, hi = std::min(n, lo + kBlock);
        if (c_.kind == CompressKind::q8)
          for (int i = lo; i < hi; ++i) ref[i] += static_cast<signed char>(codes[i]) * s;
        else
          for (int i = lo; i < hi; ++i)
            ref[i] += (static_cast<int>((codes[i / 2] >> (4 * (i % 2))) & 0xF) - 8) * s;
      }
      return;
    }
    case CompressKind::topk:
      for (int e = 0; e < c_.k; ++e) {
        const unsigned char* slot = in + e * (sizeof(std::uint32_t) + sizeof(double));
        std::uint32_t i;
        double v;
        std::memcpy(&i, slot, sizeof i);
        std::memcpy(&v, slot + sizeof i, sizeof v);
        if (i >= static_cast<std::uint32_t>(n))
          throw Error("compressed message: index out of range");
        ref[i] += v;
      }
      return;
    case CompressKind::randk:
      draw_indices(edge, round);
      for (int e = 0; e < c_.k; ++e) {
        double v;
        std::memcpy(&v, in + e * sizeof(double), sizeof v);
        ref[indices_[e]] += v;
      }
      return;
  }
}

}  // namespace hyperpush::comm
