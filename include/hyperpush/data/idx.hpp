#pragma once
// Reader for the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/, section
// "FILE FORMATS FOR THE MNIST DATABASE"): a big-endian header, magic 0x00000803 (unsigned bytes,
// 3 dimensions) then image count, rows and columns for an image file; magic 0x00000801 then the
// count for a label file; then the bytes, row-major. Files may be gzip-compressed (.gz), as
// Debian's dataset-fashion-mnist ships them, or plain.
#include <string>

#include "hyperpush/data/dataset.hpp"

namespace hyperpush::data {

// One sample per image: cols = image rows × image columns, each feature the pixel's grey level
// scaled to [0, 1] as pixel / 255.0 (0 = background, 1 = full ink); labels as stored, classes =
// largest label + 1. Throws hyperpush::Error "<path>: byte <offset>: <what is wrong>; <what is
// valid>" on a missing or unreadable file, a wrong magic number, a file shorter or longer than its
// header declares, or label and image counts that differ.
Dataset read_idx(const std::string& images_path, const std::string& labels_path);

}  // namespace hyperpush::data
