// make_torch_classifier (torch_problem.hpp): a Network at fixed θ as a model::Classifier, every
// derivative by autograd on the spec's device.
//
// Costs (m samples, P parameters, one forward = F):
//   loss_gradients     linear kinds: one batched forward and backward to the logits D (m × K),
//                      then g_k = D_k ⊗ [x_k, 1] (m K (q + 1) numbers, no per-sample pass);
//                      networks: one forward and backward per sample (m passes of one row: no
//                      per-sample autograd exists in LibTorch's C++ API).
//   mean_loss_hessian_vector  one double backward through the graph of ∇_θ (mean ℓ), built once
//                      and kept for the last (x, labels) (so the many products of CG or LiSSA at
//                      one data set cost one backward each; a new data set costs F + backward).
//   predict, hidden    one forward without a graph.
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/types.h>
#include <torch/utils.h>

#include <cmath>
#include <cstring>
#include <utility>

#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"
#include "hyperpush/torch/torch_problem.hpp"
#include "network.hpp"

namespace hyperpush::model {
namespace {

using at::Tensor;
using torch_backend::Network;
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

bool linear_kind(TorchKind kind) { return !torch_backend::has_initial_parameters(kind); }

// A host matrix's rows as a double tensor on the device (one copy; rows stay samples).
Tensor to_device(const Matrix& x, const torch::Device& device) {
  RowMajor rows = x;
  return torch::from_blob(rows.data(), {rows.rows(), rows.cols()},
                          torch::TensorOptions().dtype(torch::kFloat64))
      .clone()
      .to(device);
}

// A device tensor m × n (or m) as a host matrix.
Matrix to_host(const Tensor& t) {
  const Tensor host = t.detach().to(torch::kCPU).contiguous();
  const std::int64_t rows = host.size(0), cols = host.dim() == 1 ? 1 : host.size(1);
  return Eigen::Map<const RowMajor>(host.data_ptr<double>(), rows, cols);
}

class TorchClassifier final : public Classifier {
 public:
  TorchClassifier(const TorchSpec& spec, int features, std::shared_ptr<const Network> network,
                  torch::Device device, Tensor theta)
      : spec_(spec),
        features_(features),
        network_(std::move(network)),
        device_(device),
        theta_(std::move(theta)) {}

  int params() const override { return static_cast<int>(network_->dim()); }
  int classes() const override { return spec_.classes; }
  int features() const override { return features_; }

  Eigen::VectorXi predict(const Matrix& x) const override {
    check(x, nullptr);
    if (x.rows() == 0) return {};
    torch::NoGradGuard no_grad;
    const Tensor z = network_->logits(theta_, to_device(x, device_));
    const Tensor predicted = (z.dim() == 1 ? z.gt(0) : z.argmax(1)).to(torch::kInt32).cpu();
    return Eigen::Map<const Eigen::VectorXi>(predicted.data_ptr<int>(), x.rows());
  }

  Matrix loss_gradients(const Matrix& x, const Eigen::VectorXi& labels) const override {
    check(x, &labels);
    const std::int64_t m = x.rows(), p = network_->dim();
    if (m == 0) return Matrix(0, p);
    const Tensor features = to_device(x, device_);
    const auto [label, target] = label_tensors(labels);
    if (linear_kind(spec_.kind)) {
      // D = ∂ℓ_k/∂z_k of every sample by one backward to the logits, then g_k = D_k ⊗ x̃_k in θ's
      // layout (class-major: θ[c (q + 1) + j]), x̃_k = [x_k, 1].
      Tensor z;
      {
        torch::NoGradGuard no_grad;
        z = network_->logits(theta_, features);
      }
      z.requires_grad_(true);
      const Tensor loss = torch_backend::sample_losses(z, label, target, ridge()).sum();
      const Tensor slope = torch::autograd::grad({loss}, {z})[0].reshape({m, -1, 1});
      const Tensor input = spec_.bias
                               ? torch::cat({features, torch::ones({m, 1}, features.options())}, 1)
                               : features;
      return to_host((slope * input.unsqueeze(1)).reshape({m, p}));
    }
    // One forward and backward per sample.
    const Tensor theta = theta_.detach().requires_grad_(true);
    Tensor out = torch::empty({m, p}, theta_.options());
    for (std::int64_t k = 0; k < m; ++k) {
      const Tensor loss =
          torch_backend::sample_losses(network_->logits(theta, features.narrow(0, k, 1)),
                                       label.narrow(0, k, 1), target.narrow(0, k, 1), ridge());
      out[k].copy_(torch::autograd::grad({loss.sum()}, {theta})[0]);
    }
    return to_host(out);
  }

  Vector mean_loss_hessian_vector(const Matrix& x, const Eigen::VectorXi& labels,
                                  const VectorRef& v) const override {
    check(x, &labels);
    if (v.size() != params())
      throw Error("torch classifier: v has " + std::to_string(v.size()) + " entries, the model " +
                  std::to_string(params()) + " parameters");
    if (x.rows() == 0) return Vector::Zero(params());
    build_gradient(x, labels);
    if (!gradient_.requires_grad()) return Vector::Zero(params());  // ℓ linear in θ
    Vector host_v = v;
    const Tensor direction = torch::from_blob(host_v.data(), {host_v.size()},
                                              torch::TensorOptions().dtype(torch::kFloat64))
                                 .to(device_);
    // H v = ∂/∂θ ⟨∇_θ mean ℓ, v⟩, keeping the graph for the next product.
    const Tensor hv = torch::autograd::grad({gradient_}, {leaf_}, {direction},
                                            /*retain_graph=*/true, /*create_graph=*/false,
                                            /*allow_unused=*/true)[0];
    if (!hv.defined()) return Vector::Zero(params());
    return to_host(hv);
  }

  Matrix hidden(const Matrix& x, Representation representation) const override {
    check(x, nullptr);
    torch::NoGradGuard no_grad;
    const std::vector<Tensor> layers = network_->hidden(theta_, to_device(x, device_));
    if (layers.empty() || x.rows() == 0) return Matrix(x.rows(), 0);
    return to_host(representation == Representation::last ? layers.back() : torch::cat(layers, 1));
  }

  std::unique_ptr<Classifier> reinitialised(std::uint64_t seed) const override {
    Tensor theta;
    if (linear_kind(spec_.kind)) {
      theta = random_linear(seed);
    } else if (spec_.kind == TorchKind::torchscript) {
      theta = glorot_by_shapes(seed);
    } else {
      theta = network_->initial_parameters(seed);  // θ0 of the new seed, x = 0
    }
    TorchSpec spec = spec_;
    spec.seed = seed;
    return std::make_unique<TorchClassifier>(spec, features_, network_, device_, theta.to(device_));
  }

 private:
  bool ridge() const { return spec_.kind == TorchKind::ridge; }

  void check(const Matrix& x, const Eigen::VectorXi* labels) const {
    if (x.rows() > 0 && x.cols() != features_)
      throw Error("torch classifier: the inputs have " + std::to_string(x.cols()) +
                  " columns, the model takes " + std::to_string(features_) + " features");
    if (!labels) return;
    if (labels->size() != x.rows())
      throw Error("torch classifier: " + std::to_string(x.rows()) + " inputs but " +
                  std::to_string(labels->size()) + " labels");
    for (Eigen::Index k = 0; k < labels->size(); ++k)
      if ((*labels)[k] < 0 || (*labels)[k] >= spec_.classes)
        throw Error("torch classifier: label " + std::to_string((*labels)[k]) + " of sample " +
                    std::to_string(k) + " is outside [0, " + std::to_string(spec_.classes) + ")");
  }

  // The labels (int64) and the loss targets (y, or 2y − 1 for ridge) on the device.
  std::pair<Tensor, Tensor> label_tensors(const Eigen::VectorXi& labels) const {
    std::vector<std::int64_t> values(labels.data(), labels.data() + labels.size());
    const Tensor label = torch::from_blob(values.data(), {labels.size()},
                                          torch::TensorOptions().dtype(torch::kInt64))
                             .clone()
                             .to(device_);
    Tensor target = label.to(torch::kFloat64);
    if (ridge()) target = 2 * target - 1;
    return {label, target};
  }

  // Keeps ∇_θ (mean ℓ) over (x, labels) with its graph (create_graph) for the products.
  void build_gradient(const Matrix& x, const Eigen::VectorXi& labels) const {
    if (gradient_.defined() && x.rows() == cached_x_.rows() && x.cols() == cached_x_.cols() &&
        labels.size() == cached_labels_.size() && x == cached_x_ && labels == cached_labels_)
      return;
    gradient_ = Tensor();
    cached_x_ = x;
    cached_labels_ = labels;
    const Tensor features = to_device(x, device_);
    const auto [label, target] = label_tensors(labels);
    leaf_ = theta_.detach().clone().requires_grad_(true);
    const Tensor loss =
        torch_backend::sample_losses(network_->logits(leaf_, features), label, target, ridge())
            .mean();
    gradient_ = torch::autograd::grad({loss}, {leaf_}, {}, /*retain_graph=*/true,
                                      /*create_graph=*/true)[0];
  }

  // The linear kinds' re-initialisation: weight (j, c) ~ N(0, 1/r), r = q + 1 rows of X (q without
  // bias), from random_normal(seed, Purpose::explain, 1, j, c): with a bias, the same draw as the
  // explain layer's random_softmax_model (explain/softmax_model.hpp).
  Tensor random_linear(std::uint64_t seed) const {
    const std::int64_t p = network_->dim();
    const std::int64_t rows = features_ + (spec_.bias ? 1 : 0), outputs = p / rows;
    Tensor theta = torch::empty({p}, torch::TensorOptions().dtype(torch::kFloat64));
    double* entry = theta.data_ptr<double>();
    const double scale = 1.0 / std::sqrt(static_cast<double>(rows));
    for (std::int64_t c = 0; c < outputs; ++c)
      for (std::int64_t j = 0; j < rows; ++j)
        entry[c * rows + j] = scale * random_normal(seed, Purpose::explain, 1, j, c);
    return theta;
  }

  // A TorchScript module's re-initialisation by its parameter shapes: Glorot-uniform
  // U(±√(6 / (fan_in + fan_out))) for a tensor of shape (out, in, k…), fan_in = in · Π k,
  // fan_out = out · Π k, from random_uniform(seed, Purpose::mlp_initial, l, entry, 0) with l the
  // tensor's index among those of two or more dimensions: the draw of hyperpush's own mlp and cnn,
  // so a module with their architecture re-initialises to their θ0. A tensor of fewer than two
  // dimensions (biases, but also the scales of norm layers) is set to 0.
  Tensor glorot_by_shapes(std::uint64_t seed) const {
    const auto shapes = network_->parameter_shapes();
    if (shapes.empty())
      throw Error(
          "torch classifier: cannot re-initialise this TorchScript model (its network exposes no "
          "parameter shapes); the randomization test needs a model hyperpush can re-draw");
    Tensor theta = torch::zeros({network_->dim()}, torch::TensorOptions().dtype(torch::kFloat64));
    double* entry = theta.data_ptr<double>();
    std::int64_t offset = 0;
    std::uint64_t layer = 0;
    for (std::size_t t = 0; t < shapes.size(); ++t) {
      std::int64_t numel = 1, receptive = 1;
      for (std::size_t a = 0; a < shapes[t].size(); ++a) {
        numel *= shapes[t][a];
        if (a >= 2) receptive *= shapes[t][a];
      }
      if (shapes[t].size() >= 2) {
        const double fans = static_cast<double>((shapes[t][0] + shapes[t][1]) * receptive);
        const double bound = std::sqrt(6.0 / fans);
        for (std::int64_t e = 0; e < numel; ++e)
          entry[offset + e] =
              bound * (2 * random_uniform(seed, Purpose::mlp_initial, layer, e, 0) - 1);
        ++layer;
      }
      offset += numel;
    }
    if (offset != network_->dim())
      throw Error("torch classifier: the TorchScript model's parameter shapes hold " +
                  std::to_string(offset) + " entries, its θ " + std::to_string(network_->dim()));
    return theta;
  }

  TorchSpec spec_;
  int features_;
  std::shared_ptr<const Network> network_;
  torch::Device device_;
  Tensor theta_;  // θ on the device
  // The kept graph of ∇_θ (mean ℓ) for mean_loss_hessian_vector, and the data it belongs to.
  mutable Tensor leaf_, gradient_;
  mutable Matrix cached_x_;
  mutable Eigen::VectorXi cached_labels_;
};

}  // namespace

std::unique_ptr<Classifier> make_torch_classifier(const TorchSpec& spec, int features,
                                                  const Vector& x) {
  const std::string where = "torch classifier";
  torch_backend::check_spec(spec, where);
  if (features < 0)
    throw Error("torch classifier: features = " + std::to_string(features) +
                " is invalid; expected >= 0");
  const torch::Device device = torch_backend::pick_device(spec.device, spec.local_rank);
  torch_backend::set_cpu_threads(device, spec.threads);
  try {
    std::shared_ptr<const Network> network =
        torch_backend::make_network(spec, features, device, where);
    if (x.size() != network->dim())
      throw Error("torch classifier: x has " + std::to_string(x.size()) + " entries, the model " +
                  std::to_string(network->dim()) + " parameters");
    Vector host_x = x;
    Tensor theta = torch::from_blob(host_x.data(), {host_x.size()},
                                    torch::TensorOptions().dtype(torch::kFloat64))
                       .clone();
    if (torch_backend::has_initial_parameters(spec.kind))
      theta = network->initial_parameters(spec.seed) + theta;  // θ = θ0 + x
    return std::make_unique<TorchClassifier>(spec, features, std::move(network), device,
                                             theta.to(device));
  } catch (const c10::Error& e) {
    throw Error(std::string("torch classifier: LibTorch failed: ") + e.what_without_backtrace());
  }
}

}  // namespace hyperpush::model
