// The cnn (torch_problem.hpp): one-channel square images of q = s² features (row-major pixels,
// as IDX files hold them), then per entry c_l of `channels` a block
//   conv (k × k, c_{l−1} → c_l, stride 1, zero 'same' padding k/2) → tanh / softplus → 2 × 2
//   average pool (stride 2; an odd side drops its last row and column, as avg_pool2d floors)
// and a linear layer from the flattened last maps (channel, row, column order) to K logits.
// Every step is smooth (average pools, no max), so H w exists everywhere. θ holds, block after
// block, the conv weight (c_l × c_{l−1} × k × k, row-major) and its bias (c_l), then the linear
// weight (K × width, row-major) and bias (K); each is a view into θ.
#include <torch/types.h>

#include <cmath>

#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"
#include "network.hpp"

namespace hyperpush::model::torch_backend {
namespace {

using at::Tensor;

struct Piece {
  std::int64_t in, out, weight, bias;  // channels (or widths); offsets of the weight and bias
};

// The image side s of q = s² features: an error message naming the config keys when q is not a
// square, or the side too small for one 2 × 2 pool per block.
std::int64_t image_side(std::int64_t features, std::size_t blocks) {
  auto side = static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(features))));
  if (features < 1 || side * side != features)
    throw Error("model.kind = \"cnn\" needs square one-channel images of q = side² features; q = " +
                std::to_string(features) + " is not the square of an integer");
  const std::int64_t least = std::int64_t{1} << blocks;
  if (side < least)
    throw Error("model.kind = \"cnn\" with " + std::to_string(blocks) +
                " conv blocks (model.channels) needs images of side >= " + std::to_string(least) +
                " (a 2 × 2 pool per block); q = " + std::to_string(features) + " is " +
                std::to_string(side) + " × " + std::to_string(side));
  return side;
}

class CnnNetwork final : public Network {
 public:
  CnnNetwork(std::int64_t features, const std::vector<int>& channels, int kernel, int classes,
             Activation activation)
      : side_(image_side(features, channels.size())), kernel_(kernel), activation_(activation) {
    std::int64_t in = 1, pooled = side_;
    for (const int out : channels) {
      const std::int64_t weights = out * in * kernel * kernel;
      convs_.push_back({in, out, dim_, dim_ + weights});
      dim_ += weights + out;
      in = out;
      pooled /= 2;
    }
    const std::int64_t width = in * pooled * pooled, outputs = classes == 2 ? 1 : classes;
    linear_ = {width, outputs, dim_, dim_ + width * outputs};
    dim_ += width * outputs + outputs;
  }

  std::int64_t dim() const override { return dim_; }

  Tensor logits(const Tensor& theta, const Tensor& features) const override {
    Tensor h = features.reshape({features.size(0), 1, side_, side_});
    for (const Piece& conv : convs_) h = block(theta, conv, h);
    const Tensor w =
        theta.narrow(0, linear_.weight, linear_.in * linear_.out).view({linear_.out, linear_.in});
    const Tensor z = torch::addmm(theta.narrow(0, linear_.bias, linear_.out), h.flatten(1), w.t());
    return linear_.out == 1 ? z.squeeze(1) : z;
  }

  // The flattened pooled maps of every block (m × c_l·s_l², s_l the side after l + 1 pools).
  std::vector<Tensor> hidden(const Tensor& theta, const Tensor& features) const override {
    std::vector<Tensor> out;
    Tensor h = features.reshape({features.size(0), 1, side_, side_});
    for (const Piece& conv : convs_) {
      h = block(theta, conv, h);
      out.push_back(h.flatten(1));
    }
    return out;
  }

  // Glorot-uniform weights, U(±√(6 / (fan_in + fan_out))) with fan = channels · k² for a conv,
  // drawn from random_uniform(seed, Purpose::mlp_initial, piece, entry, 0); biases 0.
  Tensor initial_parameters(std::uint64_t seed) const override {
    Tensor theta = torch::zeros({dim_}, torch::TensorOptions().dtype(torch::kFloat64));
    double* entry = theta.data_ptr<double>();
    const auto fill = [&](std::size_t piece, const Piece& p, std::int64_t receptive) {
      const double bound = std::sqrt(6.0 / static_cast<double>((p.in + p.out) * receptive));
      for (std::int64_t e = 0; e < p.bias - p.weight; ++e)
        entry[p.weight + e] =
            bound * (2 * random_uniform(seed, Purpose::mlp_initial, piece, e, 0) - 1);
    };
    for (std::size_t l = 0; l < convs_.size(); ++l) fill(l, convs_[l], kernel_ * kernel_);
    fill(convs_.size(), linear_, 1);
    return theta;
  }

 private:
  // pool(act(conv(h))), the conv's weight and bias views into θ.
  Tensor block(const Tensor& theta, const Piece& conv, const Tensor& h) const {
    const Tensor w = theta.narrow(0, conv.weight, conv.bias - conv.weight)
                         .view({conv.out, conv.in, kernel_, kernel_});
    const Tensor b = theta.narrow(0, conv.bias, conv.out);
    const std::int64_t pad = kernel_ / 2;
    Tensor a = at::conv2d(h, w, b, /*stride=*/{1, 1}, /*padding=*/{pad, pad});
    a = activation_ == Activation::tanh ? torch::tanh(a) : torch::softplus(a);
    return at::avg_pool2d(a, /*kernel_size=*/{2, 2});  // stride = kernel size
  }

  std::int64_t side_;
  std::int64_t kernel_;
  Activation activation_;
  std::vector<Piece> convs_;
  Piece linear_{};
  std::int64_t dim_ = 0;
};

}  // namespace

std::unique_ptr<Network> make_cnn_network(std::int64_t features, const std::vector<int>& channels,
                                          int kernel, int classes, Activation activation) {
  return std::make_unique<CnnNetwork>(features, channels, kernel, classes, activation);
}

}  // namespace hyperpush::model::torch_backend

namespace hyperpush::model {

int cnn_parameter_count(int features, const std::vector<int>& channels, int kernel, int classes) {
  TorchSpec spec;
  spec.kind = TorchKind::cnn;
  spec.channels = channels;
  spec.kernel = kernel;
  spec.classes = classes;
  torch_backend::check_spec(spec, "cnn");
  return static_cast<int>(
      torch_backend::make_cnn_network(features, channels, kernel, classes, spec.activation)->dim());
}

}  // namespace hyperpush::model
