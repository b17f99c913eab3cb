// The mlp (torch_problem.hpp): fully connected layers q → hidden… → K with tanh or softplus
// between them; layer l of widths (in, out) holds W_l (out × in, row-major) and then b_l (out) in
// θ, layers one after the other. Each W_l and b_l is a view (narrow + view) into θ: no copies.
#include <torch/types.h>

#include <cmath>

#include "hyperpush/random.hpp"
#include "network.hpp"

namespace hyperpush::model::torch_backend {
namespace {

using at::Tensor;

struct Layer {
  std::int64_t in, out, weight, bias;  // widths; offsets of W (out × in) and b in θ
};

class MlpNetwork final : public Network {
 public:
  MlpNetwork(std::int64_t features, const std::vector<int>& hidden, int classes,
             Activation activation)
      : activation_(activation) {
    std::int64_t in = features;
    std::vector<int> widths = hidden;
    widths.push_back(classes == 2 ? 1 : classes);
    for (const int out : widths) {
      layers_.push_back({in, out, dim_, dim_ + in * out});
      dim_ += in * out + out;
      in = out;
    }
  }

  std::int64_t dim() const override { return dim_; }

  Tensor logits(const Tensor& theta, const Tensor& features) const override {
    Tensor h = features;
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      h = affine(theta, layers_[l], h);
      if (l + 1 < layers_.size()) h = activate(h);
    }
    return layers_.back().out == 1 ? h.squeeze(1) : h;
  }

  std::vector<Tensor> hidden(const Tensor& theta, const Tensor& features) const override {
    std::vector<Tensor> out;
    Tensor h = features;
    for (std::size_t l = 0; l + 1 < layers_.size(); ++l) {
      h = activate(affine(theta, layers_[l], h));
      out.push_back(h);
    }
    return out;
  }

  // Glorot-uniform W_l, zero b_l, from hyperpush's counter-based generator.
  Tensor initial_parameters(std::uint64_t seed) const override {
    Tensor theta = torch::zeros({dim_}, torch::TensorOptions().dtype(torch::kFloat64));
    double* entry = theta.data_ptr<double>();
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      const Layer& layer = layers_[l];
      const double bound = std::sqrt(6.0 / static_cast<double>(layer.in + layer.out));
      for (std::int64_t e = 0; e < layer.in * layer.out; ++e)
        entry[layer.weight + e] =
            bound * (2 * random_uniform(seed, Purpose::mlp_initial, l, e, 0) - 1);
    }
    return theta;
  }

 private:
  // h W_lᵀ + b_lᵀ, W_l and b_l views into θ.
  static Tensor affine(const Tensor& theta, const Layer& layer, const Tensor& h) {
    const Tensor w =
        theta.narrow(0, layer.weight, layer.in * layer.out).view({layer.out, layer.in});
    const Tensor b = theta.narrow(0, layer.bias, layer.out);
    return torch::addmm(b, h, w.t());
  }

  Tensor activate(const Tensor& h) const {
    return activation_ == Activation::tanh ? torch::tanh(h) : torch::softplus(h);
  }

  Activation activation_;
  std::vector<Layer> layers_;
  std::int64_t dim_ = 0;
};

}  // namespace

std::unique_ptr<Network> make_mlp_network(std::int64_t features, const std::vector<int>& hidden,
                                          int classes, Activation activation) {
  return std::make_unique<MlpNetwork>(features, hidden, classes, activation);
}

}  // namespace hyperpush::model::torch_backend
