#include "hyperpush/data/idx.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>

#include "hyperpush/error.hpp"
#include "support/scratch_dir.hpp"

namespace hyperpush::data {
namespace {

using testing::StrEq;
using testing::ThrowsMessage;

// An IDX file: big-endian 32-bit magic and dimensions, then the bytes.
std::string idx(std::uint32_t magic, std::initializer_list<std::uint32_t> dims,
                std::initializer_list<int> bytes) {
  std::string out;
  const auto put32 = [&out](std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>(value >> shift & 0xff);
  };
  put32(magic);
  for (const std::uint32_t dim : dims) put32(dim);
  for (const int byte : bytes) out += static_cast<char>(byte);
  return out;
}

constexpr std::uint32_t kImages = 0x00000803;
constexpr std::uint32_t kLabels = 0x00000801;

// Two 2×3 images and their labels.
std::string two_images() {
  return idx(kImages, {2, 2, 3}, {0, 255, 51, 102, 0, 0, 1, 2, 3, 4, 5, 254});
}
std::string two_labels() { return idx(kLabels, {2}, {3, 1}); }

TEST(ReadIdx, ScalesPixelsToUnitIntervalAndCountsClasses) {
  test::ScratchDir dir;
  const Dataset data =
      read_idx(dir.write("images", two_images()), dir.write("labels", two_labels()));
  EXPECT_EQ(data.source, dir.path("images") + " and " + dir.path("labels"));
  EXPECT_EQ(data.rows, 2u);
  EXPECT_EQ(data.cols, 6u);
  EXPECT_THAT(data.features,
              testing::ElementsAre(0.0, 1.0, 0.2, 0.4, 0.0, 0.0, 1 / 255.0, 2 / 255.0, 3 / 255.0,
                                   4 / 255.0, 5 / 255.0, 254 / 255.0));
  EXPECT_THAT(data.labels, testing::ElementsAre(3, 1));
  EXPECT_EQ(data.classes, 4);  // largest label + 1
  EXPECT_TRUE(data.class_names.empty());
  EXPECT_TRUE(data.label_values.empty());
}

TEST(ReadIdx, RejectsMissingFile) {
  test::ScratchDir dir;
  const std::string images = dir.write("images", two_images());
  EXPECT_THAT([&] { read_idx(images, dir.path("absent")); },
              ThrowsMessage<Error>(StrEq(dir.path("absent") +
                                         ": cannot open: No such file or directory; expected a "
                                         "readable data file, plain or gzip-compressed")));
}

TEST(ReadIdx, RejectsEmptyFile) {
  test::ScratchDir dir;
  EXPECT_THAT([&] { read_idx(dir.write("images", ""), dir.write("labels", two_labels())); },
              ThrowsMessage<Error>(
                  StrEq(dir.path("images") +
                        ": byte 0: file is empty; expected an IDX image file (unsigned bytes, 3 "
                        "dimensions)")));
}

TEST(ReadIdx, RejectsLabelFileGivenAsImages) {
  test::ScratchDir dir;
  EXPECT_THAT(
      [&] { read_idx(dir.write("images", two_labels()), dir.write("labels", two_labels())); },
      ThrowsMessage<Error>(StrEq(dir.path("images") +
                                 ": byte 0: magic number 0x00000801 is not 0x00000803; expected an "
                                 "IDX image file (unsigned bytes, 3 dimensions)")));
}

TEST(ReadIdx, RejectsWrongLabelMagic) {
  test::ScratchDir dir;
  EXPECT_THAT(
      [&] {
        read_idx(dir.write("images", two_images()),
                 dir.write("labels", idx(0x00000c01, {2}, {3, 1})));
      },
      ThrowsMessage<Error>(StrEq(dir.path("labels") +
                                 ": byte 0: magic number 0x00000c01 is not 0x00000801; expected an "
                                 "IDX label file (unsigned bytes, 1 dimension)")));
}

TEST(ReadIdx, RejectsTruncatedHeader) {
  test::ScratchDir dir;
  const std::string header = two_images().substr(0, 10);
  EXPECT_THAT([&] { read_idx(dir.write("images", header), dir.write("labels", two_labels())); },
              ThrowsMessage<Error>(StrEq(
                  dir.path("images") +
                  ": byte 10: file ends inside the 16-byte header; expected an IDX image file "
                  "(unsigned bytes, 3 dimensions)")));
}

TEST(ReadIdx, RejectsTruncatedPixels) {
  test::ScratchDir dir;
  const std::string images = two_images().substr(0, 16 + 7);
  EXPECT_THAT([&] { read_idx(dir.write("images", images), dir.write("labels", two_labels())); },
              ThrowsMessage<Error>(StrEq(dir.path("images") +
                                         ": byte 23: file ends after 7 of the 12 pixel bytes; the "
                                         "header declares 2 images of 2x3")));
}

TEST(ReadIdx, RejectsTruncatedLabels) {
  test::ScratchDir dir;
  EXPECT_THAT(
      [&] {
        read_idx(dir.write("images", two_images()), dir.write("labels", idx(kLabels, {2}, {3})));
      },
      ThrowsMessage<Error>(StrEq(dir.path("labels") +
                                 ": byte 9: file ends after 1 of the 2 label bytes; the header "
                                 "declares 2 labels")));
}

TEST(ReadIdx, RejectsDataAfterTheDeclaredBytes) {
  test::ScratchDir dir;
  EXPECT_THAT(
      [&] { read_idx(dir.write("images", two_images() + "x"), dir.write("labels", two_labels())); },
      ThrowsMessage<Error>(StrEq(dir.path("images") +
                                 ": byte 28: data goes on after the 12 pixel bytes; the header "
                                 "declares 2 images of 2x3")));
}

TEST(ReadIdx, RejectsLabelCountOtherThanImageCount) {
  test::ScratchDir dir;
  EXPECT_THAT(
      [&] {
        read_idx(dir.write("images", two_images()),
                 dir.write("labels", idx(kLabels, {3}, {3, 1, 0})));
      },
      ThrowsMessage<Error>(
          StrEq(dir.path("labels") + ": byte 4: the header declares 3 labels, but " +
                dir.path("images") + " declares 2 images; expected one label per image")));
}

TEST(ReadIdx, RejectsNoImages) {
  test::ScratchDir dir;
  EXPECT_THAT(
      [&] {
        read_idx(dir.write("images", idx(kImages, {0, 2, 3}, {})),
                 dir.write("labels", idx(kLabels, {0}, {})));
      },
      ThrowsMessage<Error>(StrEq(dir.path("images") +
                                 ": byte 4: the header declares 0 images; expected at least one")));
}

TEST(ReadIdx, RejectsEmptyImageShape) {
  test::ScratchDir dir;
  EXPECT_THAT(
      [&] {
        read_idx(dir.write("images", idx(kImages, {2, 0, 3}, {})),
                 dir.write("labels", two_labels()));
      },
      ThrowsMessage<Error>(StrEq(dir.path("images") +
                                 ": byte 8: the header declares images of 0x3 pixels; expected at "
                                 "least 1x1")));
}

}  // namespace
}  // namespace hyperpush::data
