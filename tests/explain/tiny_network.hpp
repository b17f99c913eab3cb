#pragma once
// A hand-written classifier with hidden layers for the explain tests: a fully connected tanh
// network f → widths… → C with a softmax cross-entropy, in plain Eigen, one sample at a time.
// Layer l holds W_l (out × in, row-major) and then b_l in θ, layers in order, the output layer
// last (the torch backend's mlp layout). Gradients by backpropagation; Hessian-vector products by
// the R-operator (Pearlmutter 1994) applied to backpropagation:
//   forward   a_l = W_l h_{l−1} + b_l, h_l = tanh a_l;  R a_l = V_l h_{l−1} + W_l R h_{l−1} + c_l,
//             R h_l = (1 − h_l²) ∘ R a_l;  z = W_o h_L + b_o, R z likewise
//   output    δz = p − e_y,  R δz = p ∘ R z − p (pᵀ R z)
//   backward  δa_l = δh_l ∘ (1 − h_l²),  R δa_l = R δh_l ∘ (1 − h_l²) − 2 δh_l ∘ h_l ∘ R h_l,
//             ∇W_l = δa_l h_{l−1}ᵀ,  R ∇W_l = R δa_l h_{l−1}ᵀ + δa_l R h_{l−1}ᵀ,
//             δh_{l−1} = W_lᵀ δa_l,  R δh_{l−1} = V_lᵀ δa_l + W_lᵀ R δa_l
// (V_l, c_l: the direction's blocks). The tests check both against finite differences.
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "hyperpush/error.hpp"
#include "hyperpush/model/classifier.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::explain::test {

class TinyNetwork : public model::Classifier {
 public:
  // θ drawn N(0, 1/in) per weight, biases N(0, 0.01), from `seed`.
  TinyNetwork(int features, std::vector<int> widths, int classes, std::uint64_t seed)
      : features_(features), classes_(classes), widths_(std::move(widths)) {
    int in = features_;
    for (std::size_t l = 0; l <= widths_.size(); ++l) {
      const int out = l < widths_.size() ? widths_[l] : classes_;
      offsets_.push_back(params_);
      params_ += out * in + out;
      in = out;
    }
    theta_.resize(params_);
    in = features_;
    for (std::size_t l = 0; l <= widths_.size(); ++l) {
      const int out = l < widths_.size() ? widths_[l] : classes_;
      for (int i = 0; i < out * in + out; ++i) {
        const double scale = i < out * in ? 1.0 / std::sqrt(static_cast<double>(in)) : 0.1;
        theta_(offsets_[l] + i) =
            scale * random_normal(seed, Purpose::initial_value, 1000 + l, i, 7);
      }
      in = out;
    }
  }

  model::Vector& theta() { return theta_; }
  const model::Vector& theta() const { return theta_; }

  int params() const override { return params_; }
  int classes() const override { return classes_; }
  int features() const override { return features_; }

  // ℓ(z) = −log softmax(f(x))_y of one sample.
  double loss(const model::Vector& x, int y) const {
    const Forward f = forward(x, model::Vector::Zero(params_));
    return -std::log(f.p(y));
  }

  Eigen::VectorXi predict(const model::Matrix& x) const override {
    Eigen::VectorXi out(x.rows());
    for (Eigen::Index k = 0; k < x.rows(); ++k) {
      const Forward f = forward(x.row(k).transpose(), model::Vector::Zero(params_));
      Eigen::Index best;
      f.z.maxCoeff(&best);
      out(k) = static_cast<int>(best);
    }
    return out;
  }

  model::Matrix loss_gradients(const model::Matrix& x, const Eigen::VectorXi& y) const override {
    model::Matrix g(x.rows(), params_);
    const model::Vector zero = model::Vector::Zero(params_);
    for (Eigen::Index k = 0; k < x.rows(); ++k)
      g.row(k) = backward(x.row(k).transpose(), y(k), zero).gradient.transpose();
    return g;
  }

  model::Vector mean_loss_hessian_vector(const model::Matrix& x, const Eigen::VectorXi& y,
                                         const model::VectorRef& v) const override {
    model::Vector out = model::Vector::Zero(params_);
    for (Eigen::Index k = 0; k < x.rows(); ++k)
      out += backward(x.row(k).transpose(), y(k), v).r_gradient;
    return out / static_cast<double>(x.rows());
  }

  model::Matrix hidden(const model::Matrix& x, Representation representation) const override {
    int width = 0;
    for (const int w : widths_) width += w;
    if (representation == Representation::last) width = widths_.back();
    model::Matrix out(x.rows(), width);
    for (Eigen::Index k = 0; k < x.rows(); ++k) {
      const Forward f = forward(x.row(k).transpose(), model::Vector::Zero(params_));
      if (representation == Representation::last) {
        out.row(k) = f.h.back().transpose();
      } else {
        int at = 0;
        for (std::size_t l = 1; l < f.h.size(); ++l) {
          out.row(k).segment(at, f.h[l].size()) = f.h[l].transpose();
          at += static_cast<int>(f.h[l].size());
        }
      }
    }
    return out;
  }

  std::unique_ptr<model::Classifier> reinitialised(std::uint64_t seed) const override {
    return std::make_unique<TinyNetwork>(features_, widths_, classes_, seed);
  }

 private:
  struct Forward {
    std::vector<model::Vector> h, rh;  // h_0 = x, …, h_L and their R-derivatives
    model::Vector z, rz, p;
  };
  struct Backward {
    model::Vector gradient, r_gradient;
  };

  int in_of(std::size_t l) const { return l == 0 ? features_ : widths_[l - 1]; }
  int out_of(std::size_t l) const { return l < widths_.size() ? widths_[l] : classes_; }
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const RowMajor> weight(const model::Vector& t, std::size_t l) const {
    return {t.data() + offsets_[l], out_of(l), in_of(l)};
  }
  Eigen::Map<const model::Vector> bias(const model::Vector& t, std::size_t l) const {
    return {t.data() + offsets_[l] + out_of(l) * in_of(l), out_of(l)};
  }

  Forward forward(const model::Vector& x, const model::Vector& v) const {
    if (x.size() != features_) throw Error("tiny network: wrong number of features");
    Forward f;
    f.h.push_back(x);
    f.rh.push_back(model::Vector::Zero(x.size()));
    for (std::size_t l = 0; l <= widths_.size(); ++l) {
      const model::Vector a = weight(theta_, l) * f.h.back() + bias(theta_, l);
      const model::Vector ra =
          weight(v, l) * f.h.back() + weight(theta_, l) * f.rh.back() + bias(v, l);
      if (l == widths_.size()) {
        f.z = a;
        f.rz = ra;
      } else {
        const model::Vector h = a.array().tanh();
        f.rh.push_back((1 - h.array().square()) * ra.array());
        f.h.push_back(h);
      }
    }
    f.p = (f.z.array() - f.z.maxCoeff()).exp();
    f.p /= f.p.sum();
    return f;
  }

  Backward backward(const model::Vector& x, int y, const model::VectorRef& v_ref) const {
    const model::Vector v = v_ref;
    const Forward f = forward(x, v);
    Backward b;
    b.gradient.resize(params_);
    b.r_gradient.resize(params_);
    model::Vector delta = f.p;
    delta(y) -= 1;
    model::Vector r_delta = f.p.array() * f.rz.array() - f.p.array() * f.p.dot(f.rz);
    for (std::size_t l = widths_.size() + 1; l-- > 0;) {
      const model::Vector& h_in = f.h[l];
      const model::Vector& rh_in = f.rh[l];
      if (l < widths_.size()) {  // δa_l from δh_l (delta holds δh here)
        const model::Vector& h = f.h[l + 1];
        const model::Vector d = 1 - h.array().square();
        const model::Vector r_a =
            r_delta.array() * d.array() - 2 * delta.array() * h.array() * f.rh[l + 1].array();
        delta = delta.array() * d.array();
        r_delta = r_a;
      }
      const int in = in_of(l), out = out_of(l);
      Eigen::Map<RowMajor>(b.gradient.data() + offsets_[l], out, in) = delta * h_in.transpose();
      b.gradient.segment(offsets_[l] + out * in, out) = delta;
      Eigen::Map<RowMajor>(b.r_gradient.data() + offsets_[l], out, in) =
          r_delta * h_in.transpose() + delta * rh_in.transpose();
      b.r_gradient.segment(offsets_[l] + out * in, out) = r_delta;
      const model::Vector next = weight(theta_, l).transpose() * delta;
      r_delta = weight(v, l).transpose() * delta + weight(theta_, l).transpose() * r_delta;
      delta = next;
    }
    return b;
  }

  int features_, classes_, params_ = 0;
  std::vector<int> widths_;
  std::vector<int> offsets_;
  model::Vector theta_;
};

}  // namespace hyperpush::explain::test
