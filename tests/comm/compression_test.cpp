// The codecs of compressed push-sum (comm/compression.hpp): their names, their bounds on the
// error of one message, that both ends of an edge decode the same bits, and that error feedback
// (r ← r + C(x − r), repeated) brings the reference to x.
#include "hyperpush/comm/compression.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::comm {
namespace {

std::vector<double> vector_of(int n, std::uint64_t stream) {
  std::vector<double> x(n);
  for (int k = 0; k < n; ++k) x[k] = random_normal(3, Purpose::initial_value, stream, k, 0);
  return x;
}

// ref after one message carrying C(x − ref).
std::vector<double> after_one(Codec& codec, const std::vector<double>& x, std::vector<double> ref,
                              std::uint64_t edge = 5, std::int64_t round = 9) {
  std::vector<unsigned char> bytes(codec.bytes());
  codec.encode(x.data(), ref.data(), bytes.data(), edge, round);
  codec.apply(bytes.data(), ref.data(), edge, round);
  return ref;
}

TEST(Compression, NamesReadBackAndBadOnesAreRefused) {
  for (const std::string name : {"none", "q8", "q4", "topk:7", "randk:100000"})
    EXPECT_EQ(compression_name(parse_compression(name)), name);
  for (const std::string bad : {"", "q2", "topk", "topk:", "topk:0", "randk:-3", "topk:1e3",
                                "randk:12x", "top:5", "Q8", "topk:1234567890"}) {
    try {
      parse_compression(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()),
                "consensus.compress = \"" + bad +
                    "\" is not a compressor; valid: none, q8, q4, topk:K, randk:K (K >= 1 numbers "
                    "per message)");
    }
  }
  try {
    Codec(parse_compression("topk:11"), 10, 0);
    ADD_FAILURE() << "topk:11 of 10 numbers accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "consensus.compress = \"topk:11\" keeps 11 numbers of a message that has 10; valid: "
              "K <= 10, or q8 / q4");
  }
}

TEST(Compression, WireSizes) {
  EXPECT_EQ(Codec(parse_compression("q8"), 1000, 0).bytes(), 4 * 4 + 1000u);  // 4 scales
  EXPECT_EQ(Codec(parse_compression("q4"), 1001, 0).bytes(), 4 * 4 + 501u);
  EXPECT_EQ(Codec(parse_compression("topk:10"), 1000, 0).bytes(), 10 * 12u);
  EXPECT_EQ(Codec(parse_compression("randk:10"), 1000, 0).bytes(), 10 * 8u);
  EXPECT_EQ(Codec(parse_compression("none"), 1000, 0).bytes(), 8000u);
}

// Quantizers: each number within half a step (its block's max |x − ref| / L) of x.
TEST(Compression, QuantizersErrIsAtMostHalfAStepPerBlock) {
  for (const auto& [name, top] : {std::pair{"q8", 127}, std::pair{"q4", 7}}) {
    const int n = 700;  // blocks of 256, 256, 188
    Codec codec(parse_compression(name), n, 0);
    const auto x = vector_of(n, 1), ref = vector_of(n, 2);
    const auto got = after_one(codec, x, ref);
    for (int lo = 0; lo < n; lo += 256) {
      const int hi = std::min(n, lo + 256);
      double largest = 0;
      for (int k = lo; k < hi; ++k) largest = std::max(largest, std::abs(x[k] - ref[k]));
      const double step = static_cast<float>(largest / top);
      for (int k = lo; k < hi; ++k)
        ASSERT_LE(std::abs(got[k] - x[k]), 0.5 * step * (1 + 1e-6) + 1e-15) << name << " k=" << k;
    }
  }
}

TEST(Compression, TopKSendsTheLargestCorrectionsExactly) {
  const int n = 300, k = 17;
  Codec codec(parse_compression("topk:17"), n, 0);
  const auto x = vector_of(n, 3);
  const std::vector<double> ref(n, 0.0);
  const auto got = after_one(codec, x, ref);
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return std::abs(x[a]) > std::abs(x[b]); });
  for (int r = 0; r < n; ++r) EXPECT_EQ(got[order[r]], r < k ? x[order[r]] : 0.0) << "rank " << r;
}

// randk: K distinct places drawn per (edge, round), the same at both ends; exact values there.
TEST(Compression, RandKPlacesArePerEdgeAndRoundAndSharedByBothEnds) {
  const int n = 200, k = 30;
  Codec sender(parse_compression("randk:30"), n, 42),
      receiver(parse_compression("randk:30"), n, 42);
  const auto x = vector_of(n, 4);
  std::vector<unsigned char> bytes(sender.bytes());
  std::vector<std::vector<int>> places;
  for (const auto& [edge, round] : {std::pair{1, 0}, std::pair{1, 1}, std::pair{2, 0}}) {
    std::vector<double> mine(n, 0.0), theirs(n, 0.0);
    sender.encode(x.data(), mine.data(), bytes.data(), edge, round);
    sender.apply(bytes.data(), mine.data(), edge, round);
    receiver.apply(bytes.data(), theirs.data(), edge, round);
    EXPECT_EQ(mine, theirs);
    std::vector<int> at;
    for (int i = 0; i < n; ++i)
      if (mine[i] != 0.0) {
        EXPECT_EQ(mine[i], x[i]);
        at.push_back(i);
      }
    EXPECT_EQ(static_cast<int>(at.size()), k);
    places.push_back(at);
  }
  EXPECT_NE(places[0], places[1]);  // another round
  EXPECT_NE(places[0], places[2]);  // another edge
}

// Error feedback: messages against the updated reference bring it to x (q8: each message leaves
// at most 1/254 of the largest correction, so 8 messages leave below 1e-15 of it, up to rounding).
TEST(Compression, ErrorFeedbackConverges) {
  const int n = 1000;
  const auto x = vector_of(n, 5);
  for (const auto& [name, messages] : {std::pair{"q8", 8}, std::pair{"q4", 20},
                                       std::pair{"topk:100", 10}, std::pair{"randk:100", 400}}) {
    Codec codec(parse_compression(name), n, 0);
    std::vector<double> ref(n, 0.0);
    for (int m = 0; m < messages; ++m) ref = after_one(codec, x, ref, 5, m);
    double worst = 0;
    for (int i = 0; i < n; ++i) worst = std::max(worst, std::abs(ref[i] - x[i]));
    EXPECT_LT(worst, 1e-12) << name;
  }
}

// A NaN (or a correction past float's range) is not quantized into finite garbage: the sender's
// run ends with exit code 5.
TEST(Compression, NonFiniteCorrectionsEndTheRun) {
  for (const double bad : {std::nan(""), 1e300}) {
    Codec codec(parse_compression("q8"), 600, 0);
    auto x = vector_of(600, 6);
    x[300] = bad;
    std::vector<double> ref(600, 0.0);
    std::vector<unsigned char> bytes(codec.bytes());
    try {
      codec.encode(x.data(), ref.data(), bytes.data(), 0, 0);
      ADD_FAILURE() << bad << " encoded";
    } catch (const Error& e) {
      EXPECT_EQ(e.exit_code(), kExitDiverged);
      EXPECT_NE(std::string(e.what()).find("is past what q8 encodes (diverged?)"),
                std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace hyperpush::comm
