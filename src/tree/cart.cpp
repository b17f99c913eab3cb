#include "hyperpush/tree/cart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

namespace hyperpush::tree {
namespace {

struct Entry {
  double value;  // x[sample][feature]
  int sample;    // position in `rows`
  int label;
};

class CartBuilder {
 public:
  CartBuilder(const data::Dataset& train, const std::vector<std::size_t>& rows,
              const CartOptions& options)
      : options_(options), n_(rows.size()), features_(train.cols), classes_(train.classes) {
    tree_.classes = classes_;
    tree_.max_depth = options.max_depth;
    // sorted_[f·n, (f + 1)·n): every sample by x[f], ties by position, so the order is a pure
    // function of the data.
    sorted_.resize(features_ * n_);
    for (std::size_t f = 0; f < features_; ++f) {
      Entry* column = sorted_.data() + f * n_;
      for (std::size_t i = 0; i < n_; ++i)
        column[i] = {train.row(rows[i])[f], static_cast<int>(i), train.labels[rows[i]]};
      std::sort(column, column + n_, [](const Entry& a, const Entry& b) {
        return a.value < b.value || (a.value == b.value && a.sample < b.sample);
      });
    }
    scratch_.resize(n_);
    goes_left_.resize(n_);
  }

  Tree build() {
    std::vector<int> counts(classes_, 0);
    for (std::size_t i = 0; i < n_; ++i) ++counts[sorted_[i].label];
    grow(0, n_, 0, counts);  // no samples: a root leaf with zero counts
    return std::move(tree_);
  }

 private:
  struct Split {
    int feature = -1;
    std::size_t left_size = 0;  // samples going left = first left_size of the feature's segment
    double threshold = 0;
  };

  // The proxy L/n_l + R/n_r as the exact fraction (L n_r + R n_l) / (n_l n_r), so that ties between
  // splits are decided in exact arithmetic (first split wins), not by rounding.
  struct Proxy {
    std::int64_t left_square, right_square, n_left, n_right;
    double value() const {
      return static_cast<double>(left_square) / n_left +
             static_cast<double>(right_square) / n_right;
    }
  };
  static bool exactly_greater(const Proxy& a, const Proxy& b) {
    __extension__ typedef __int128 Wide;
    const Wide num_a = Wide(a.left_square) * a.n_right + Wide(a.right_square) * a.n_left;
    const Wide num_b = Wide(b.left_square) * b.n_right + Wide(b.right_square) * b.n_left;
    return num_a * (Wide(b.n_left) * b.n_right) > num_b * (Wide(a.n_left) * a.n_right);
  }

  int grow(std::size_t begin, std::size_t end, int depth, const std::vector<int>& counts) {
    const int node = tree_.add_leaf(depth, counts.data());
    const std::size_t m = end - begin;
    const bool pure = std::count(counts.begin(), counts.end(), 0) >= classes_ - 1;
    if (depth >= options_.max_depth || m < static_cast<std::size_t>(options_.min_samples) || pure)
      return node;
    const Split split = best_split(begin, end, counts);
    if (split.feature < 0) return node;  // every feature is constant on this node
    partition(begin, end, split);
    const std::size_t middle = begin + split.left_size;
    std::vector<int> left(classes_, 0), right(classes_, 0);
    const Entry* column = sorted_.data() + std::size_t(split.feature) * n_;
    for (std::size_t j = begin; j < middle; ++j) ++left[column[j].label];
    for (int k = 0; k < classes_; ++k) right[k] = counts[k] - left[k];
    const int l = grow(begin, middle, depth + 1, left);
    const int r = grow(middle, end, depth + 1, right);
    tree_.set_split(node, split.feature, split.threshold, l, r);
    return node;
  }

  // Maximises Σ_k l_k²/n_l + Σ_k r_k²/n_r, which is n minus the weighted Gini impurity of the
  // children (scikit-learn's "proxy improvement"). Squared sums are updated in O(1) per sample.
  Split best_split(std::size_t begin, std::size_t end, const std::vector<int>& counts) {
    Split best;
    Proxy best_proxy{0, 0, 1, 1};
    double best_value = -std::numeric_limits<double>::infinity();
    // n^5 / 2 must fit in 127 bits for the exact comparison; beyond, doubles decide
    const bool exact = end - begin < (std::size_t{1} << 25);
    const std::size_t m = end - begin;
    std::int64_t total_square = 0;
    for (const int c : counts) total_square += std::int64_t(c) * c;
    std::vector<std::int64_t> left(classes_);
    for (std::size_t f = 0; f < features_; ++f) {
      const Entry* column = sorted_.data() + f * n_;
      if (!(column[begin].value < column[end - 1].value)) continue;  // constant here
      std::fill(left.begin(), left.end(), 0);
      std::int64_t left_square = 0, right_square = total_square;
      for (std::size_t j = begin; j + 1 < end; ++j) {
        const int k = column[j].label;
        // moving one sample of class k: l_k² → (l_k + 1)², r_k² → (r_k − 1)²
        left_square += 2 * left[k] + 1;
        right_square -= 2 * (counts[k] - left[k]) - 1;
        ++left[k];
        if (!(column[j].value < column[j + 1].value)) continue;
        const auto n_left = static_cast<std::int64_t>(j + 1 - begin);
        const Proxy proxy{left_square, right_square, n_left, static_cast<std::int64_t>(m) - n_left};
        const double value = proxy.value();
        // decide by doubles unless the two are within rounding of each other
        const bool greater = value > best_value * (1 + 1e-9)   ? true
                             : value < best_value * (1 - 1e-9) ? false
                             : exact                           ? exactly_greater(proxy, best_proxy)
                                                               : value > best_value;
        if (greater) {
          best_proxy = proxy;
          best_value = value;
          best.feature = static_cast<int>(f);
          best.left_size = j + 1 - begin;
          // midpoint; when it rounds onto the upper value, the lower one (as scikit-learn does)
          const double a = column[j].value, b = column[j + 1].value;
          double t = a / 2.0 + b / 2.0;
          if (t == b || !std::isfinite(t)) t = a;
          best.threshold = t;
        }
      }
    }
    return best;
  }

  // Stably moves the left child's samples to the front of every feature's segment.
  void partition(std::size_t begin, std::size_t end, const Split& split) {
    const Entry* chosen = sorted_.data() + std::size_t(split.feature) * n_;
    for (std::size_t j = begin; j < end; ++j)
      goes_left_[chosen[j].sample] = j < begin + split.left_size;
    for (std::size_t f = 0; f < features_; ++f) {
      if (static_cast<int>(f) == split.feature) continue;
      Entry* column = sorted_.data() + f * n_;
      std::size_t write = begin, spilled = 0;
      for (std::size_t j = begin; j < end; ++j) {
        if (goes_left_[column[j].sample])
          column[write++] = column[j];
        else
          scratch_[spilled++] = column[j];
      }
      std::copy_n(scratch_.begin(), spilled, column + write);
    }
  }

  CartOptions options_;
  std::size_t n_, features_;
  int classes_;
  std::vector<Entry> sorted_, scratch_;
  std::vector<unsigned char> goes_left_;
  Tree tree_;
};

}  // namespace

Tree fit_cart(const data::Dataset& train, const std::vector<std::size_t>& rows,
              const CartOptions& options) {
  return CartBuilder(train, rows, options).build();
}

Tree fit_cart(const data::Dataset& train, const CartOptions& options) {
  std::vector<std::size_t> rows(train.rows);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  return fit_cart(train, rows, options);
}

}  // namespace hyperpush::tree
