// Backend `torch` (torch_problem.hpp): the models' forward passes written once with ATen
// operations, every derivative by autograd. The only translation unit that includes LibTorch.
#include "hyperpush/model/torch_problem.hpp"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/cuda.h>
#include <torch/types.h>
#include <torch/utils.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <utility>

#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::model {
namespace {

using at::Tensor;

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

const char* kind_name(TorchKind kind) {
  switch (kind) {
    case TorchKind::logistic:
      return "logistic";
    case TorchKind::softmax:
      return "softmax";
    case TorchKind::ridge:
      return "ridge";
    case TorchKind::mlp:
      return "mlp";
  }
  return "?";
}

torch::Device pick_device(const std::string& request, int local_rank) {
  if (request != "auto" && request != "cpu" && request != "cuda")
    throw Error("torch problem: device = \"" + request +
                "\" is unknown; expected \"auto\", \"cpu\" or \"cuda\"");
  if (request == "cpu") return torch::kCPU;
  // Without a driver cudaGetDeviceCount returns an error rather than 0: any failure = no GPU.
  int count = 0;
  try {
    count = torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0;
  } catch (...) {
    count = 0;
  }
  if (count <= 0) {
    if (request == "cuda")
      throw Error(
          "torch problem: device = \"cuda\" but no CUDA device is usable (LibTorch built "
          "without CUDA, no driver or no GPU); use \"auto\" or \"cpu\"");
    return torch::kCPU;
  }
  return {torch::kCUDA, static_cast<c10::DeviceIndex>(std::max(local_rank, 0) % count)};
}

// One data part on the device: features (m × q, row per sample) and labels.
struct DataPart {
  Tensor features;  // double
  Tensor labels;    // int64
  Tensor targets;   // double: y (logistic) or 2y − 1 (ridge)
  std::int64_t rows = 0;
};

// Checks one part like make_linear_problem does; returns [features, 1] (bias) or the features.
DataPart make_part(const LabelledData& part, const std::string& name, Eigen::Index columns,
                   int classes, bool bias, TorchKind kind, const torch::Device& device) {
  const std::string where = "torch problem: " + name + " part";
  const Eigen::Index m = part.features.rows();
  if (m != part.labels.size())
    throw Error(where + " has " + std::to_string(m) + " feature rows but " +
                std::to_string(part.labels.size()) + " labels");
  if (m > 0 && part.features.cols() != columns)
    throw Error(where + " has " + std::to_string(part.features.cols()) +
                " feature columns, the training part has " + std::to_string(columns));
  for (Eigen::Index k = 0; k < m; ++k)
    if (part.labels[k] < 0 || part.labels[k] >= classes)
      throw Error(where + ": label " + std::to_string(part.labels[k]) + " of sample " +
                  std::to_string(k) + " is outside [0, " + std::to_string(classes) + ")");
  for (Eigen::Index j = 0; j < columns && m > 0; ++j)
    for (Eigen::Index k = 0; k < m; ++k)
      if (!std::isfinite(part.features(k, j)))
        throw Error(where + ": feature " + std::to_string(j) + " of sample " + std::to_string(k) +
                    " is " + number(part.features(k, j)) + "; expected a finite number");
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const bool ones = bias && kind != TorchKind::mlp;
  RowMajor design(m, columns + (ones ? 1 : 0));
  if (m > 0) design.leftCols(columns) = part.features;
  if (ones) design.col(columns).setOnes();
  std::vector<std::int64_t> labels(part.labels.data(), part.labels.data() + m);
  const auto cpu_double = torch::TensorOptions().dtype(torch::kFloat64);
  DataPart out;
  out.rows = m;
  // clone(): on the CPU to() would alias the local buffers.
  out.features = torch::from_blob(design.data(), {m, design.cols()}, cpu_double).clone().to(device);
  out.labels = torch::from_blob(labels.data(), {m}, torch::TensorOptions().dtype(torch::kInt64))
                   .clone()
                   .to(device);
  out.targets = out.labels.to(torch::kFloat64);
  if (kind == TorchKind::ridge) out.targets = 2 * out.targets - 1;
  return out;
}

struct Layer {
  std::int64_t in, out, weight, bias;  // widths; offsets of W (out × in) and b in θ
};

class TorchProblem final : public LocalProblem {
 public:
  TorchProblem(const TorchSpec& spec, torch::Device device, DataPart train, DataPart validation,
               DataPart test, std::int64_t features)
      : kind_(spec.kind),
        hyper_(spec.hyper),
        classes_(spec.classes),
        activation_(spec.activation),
        l2_(spec.l2),
        initial_log_decay_(spec.initial_log_decay),
        device_(device),
        train_(std::move(train)),
        validation_(std::move(validation)),
        test_(std::move(test)) {
    const auto options = torch::TensorOptions().dtype(torch::kFloat64).device(device_);
    if (kind_ == TorchKind::mlp) {
      std::int64_t in = features, offset = 0;
      std::vector<int> widths = spec.hidden;
      widths.push_back(binary() ? 1 : classes_);
      for (const int out : widths) {
        layers_.push_back({in, out, offset, offset + in * out});
        offset += in * out + out;
        in = out;
      }
      dim_ = offset;
      theta0_ = initial_parameters(spec.seed).to(device_);
    } else {
      dim_ = train_.features.size(1) * (kind_ == TorchKind::softmax ? classes_ : 1);
    }
    x_ = torch::zeros({dim_}, options).requires_grad_(true);
    lambda_ = torch::zeros({hyper_dim()}, options).requires_grad_(true);
    w_ = torch::zeros({dim_}, options);
  }

  int dim() const override { return static_cast<int>(dim_); }
  int hyper_dim() const override {
    switch (hyper_) {
      case HyperKind::l2:
        return 1;
      case HyperKind::per_feature:
        return dim();
      case HyperKind::per_sample:
        return static_cast<int>(train_.rows);
    }
    return 0;
  }

  double inner_loss(const VectorRef& x, const VectorRef& lambda) const override {
    torch::NoGradGuard no_grad;
    load(x, lambda);
    return inner_objective().item<double>();
  }

  void inner_gradient(const VectorRef& x, const VectorRef& lambda, VectorOut out) const override {
    load(x, lambda);
    if (graph_) {  // ∇_x g of the kept graph
      copy_out(gradient_.detach(), out);
      return;
    }
    // A plain reverse pass: the inner solvers call this at a new x every round.
    copy_out(torch::autograd::grad({inner_objective()}, {x_})[0], out);
  }

  void hessian_vector(const VectorRef& x, const VectorRef& lambda, const VectorRef& w,
                      VectorOut out) const override {
    build_graph(x, lambda);
    copy_in(w, w_);
    // H w = ∂/∂x ⟨∇_x g, w⟩: one backward pass through the kept graph of ∇_x g.
    copy_out(backward_of_gradient(x_), out);
  }

  void cross_vector(const VectorRef& x, const VectorRef& lambda, const VectorRef& w,
                    VectorOut out) const override {
    build_graph(x, lambda);
    copy_in(w, w_);
    // J w = ∂/∂λ ⟨∇_x g, w⟩ (the mixed derivative).
    copy_out(backward_of_gradient(lambda_), out);
  }

  double outer_loss(const VectorRef& x, const VectorRef& lambda) const override {
    torch::NoGradGuard no_grad;
    load(x, lambda);
    return outer_objective().item<double>();
  }

  void outer_gradient_x(const VectorRef& x, const VectorRef& lambda, VectorOut out) const override {
    if (validation_.rows == 0) {
      out.setZero();
      return;
    }
    load(x, lambda);
    copy_out(torch::autograd::grad({outer_objective()}, {x_})[0], out);
  }

  void outer_gradient_lambda(const VectorRef&, const VectorRef&, VectorOut out) const override {
    out.setZero();  // f does not depend on λ
  }

  double test_metric(const VectorRef& x) const override {
    if (test_.rows == 0) return std::numeric_limits<double>::quiet_NaN();
    torch::NoGradGuard no_grad;
    const Tensor predicted = predicted_classes(x, test_);
    return predicted.eq(test_.labels).sum().item<double>() / static_cast<double>(test_.rows);
  }

  Eigen::VectorXi predict(const VectorRef& x, Part part) const override {
    const DataPart& data = part == Part::train ? train_ : test_;
    if (data.rows == 0) return {};
    torch::NoGradGuard no_grad;
    const Tensor predicted =
        predicted_classes(x, data).to(torch::kInt32).to(torch::kCPU).contiguous();
    return Eigen::Map<const Eigen::VectorXi>(predicted.data_ptr<int>(), data.rows);
  }

  Vector initial_lambda() const override {
    switch (hyper_) {
      case HyperKind::l2:
        return Vector::Constant(1, initial_log_decay_);
      case HyperKind::per_feature:
        return Vector::Constant(dim(), initial_log_decay_);
      case HyperKind::per_sample:
        return Vector::Ones(train_.rows);
    }
    return {};
  }

 private:
  bool binary() const { return kind_ != TorchKind::softmax && classes_ == 2; }

  // Glorot-uniform W_l, zero b_l, from hyperpush's counter-based generator.
  Tensor initial_parameters(std::uint64_t seed) const {
    Vector theta = Vector::Zero(dim_);
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      const Layer& layer = layers_[l];
      const double bound = std::sqrt(6.0 / static_cast<double>(layer.in + layer.out));
      for (std::int64_t e = 0; e < layer.in * layer.out; ++e)
        theta[layer.weight + e] =
            bound * (2 * random_uniform(seed, Purpose::mlp_initial, l, e, 0) - 1);
    }
    return torch::from_blob(theta.data(), {dim_}, torch::TensorOptions().dtype(torch::kFloat64))
        .clone();
  }

  // Predicted class of every sample of a part: z > 0 for one logit, else the first largest logit.
  Tensor predicted_classes(const VectorRef& x, const DataPart& data) const {
    const Tensor point = torch::from_blob(const_cast<double*>(x.data()), {x.size()},
                                          torch::TensorOptions().dtype(torch::kFloat64))
                             .to(device_);  // not the leaf: it keeps the loaded point
    const Tensor logit = logits(parameters(point), data.features);
    return logit.dim() == 1 ? logit.gt(0).to(torch::kInt64) : logit.argmax(1);
  }

  // θ: x, or θ0 + x for the mlp.
  Tensor parameters(const Tensor& x) const { return kind_ == TorchKind::mlp ? theta0_ + x : x; }

  // Logits of every sample of a part: m (one per sample) or m × C.
  Tensor logits(const Tensor& theta, const Tensor& features) const {
    switch (kind_) {
      case TorchKind::logistic:
      case TorchKind::ridge:
        return features.mv(theta);  // z = A x
      case TorchKind::softmax:      // Z = A X, X = reshape(x, q, C) column-major
        return features.mm(theta.view({classes_, features.size(1)}).t());
      case TorchKind::mlp: {
        Tensor h = features;
        for (std::size_t l = 0; l < layers_.size(); ++l) {
          const Layer& layer = layers_[l];
          const Tensor w = theta.narrow(0, layer.weight, layer.in * layer.out)
                               .view({layer.out, layer.in});  // views into θ
          const Tensor b = theta.narrow(0, layer.bias, layer.out);
          h = torch::addmm(b, h, w.t());  // h W_lᵀ + b_lᵀ
          if (l + 1 < layers_.size())
            h = activation_ == Activation::tanh ? torch::tanh(h) : torch::softplus(h);
        }
        return binary() ? h.squeeze(1) : h;
      }
    }
    return {};
  }

  // ℓ_k of every sample of a part.
  Tensor sample_losses(const Tensor& theta, const DataPart& part) const {
    const Tensor z = logits(theta, part.features);
    if (kind_ == TorchKind::ridge) return 0.5 * (z - part.targets).square();  // ½ (z − t)²
    if (z.dim() == 1)  // log(1 + e^z) − y z, with log(1 + e^z) = −log σ(−z) (stable)
      return -torch::log_sigmoid(-z) - part.targets * z;
    // logsumexp(Z_k·) − Z_{k,y_k}
    return -torch::log_softmax(z, 1).gather(1, part.labels.unsqueeze(1)).squeeze(1);
  }

  // g(x, λ) at the loaded leaves.
  Tensor inner_objective() const {
    const Tensor losses = sample_losses(parameters(x_), train_);
    switch (hyper_) {
      case HyperKind::l2:  // mean ℓ + ½ (e^λ + l2) ‖x‖²
        return losses.mean() + 0.5 * (lambda_.exp().squeeze(0) + l2_) * x_.dot(x_);
      case HyperKind::per_feature:  // mean ℓ + ½ Σ_j (e^{λ_j} + l2) x_j²
        return losses.mean() + 0.5 * ((lambda_.exp() + l2_) * x_.square()).sum();
      case HyperKind::per_sample:  // (1/m) Σ_k λ_k ℓ_k + ½ l2 ‖x‖²
        return lambda_.dot(losses) / static_cast<double>(train_.rows) + 0.5 * l2_ * x_.dot(x_);
    }
    return {};
  }

  // f(x) = mean ℓ on the validation part; 0 without samples.
  Tensor outer_objective() const {
    if (validation_.rows == 0) return torch::zeros({}, x_.options());
    return sample_losses(parameters(x_), validation_).mean();
  }

  // Copies v into the leaf (one host→device copy on a GPU).
  static void copy_in(const VectorRef& v, const Tensor& leaf) {
    torch::NoGradGuard no_grad;
    const Tensor host = torch::from_blob(const_cast<double*>(v.data()), {v.size()},
                                         torch::TensorOptions().dtype(torch::kFloat64));
    leaf.copy_(host);
  }

  static void copy_out(const Tensor& t, VectorOut out) {
    if (!t.defined()) {  // the output does not depend on the input (allow_unused)
      out.setZero();
      return;
    }
    const Tensor host = t.detach().to(torch::kCPU).contiguous();
    std::memcpy(out.data(), host.data_ptr<double>(), sizeof(double) * out.size());
  }

  // Loads (x, λ) into the leaves unless they hold it already; a new point drops the kept graph.
  void load(const VectorRef& x, const VectorRef& lambda) const {
    if (loaded_ && x == loaded_x_ && lambda == loaded_lambda_) return;
    gradient_ = Tensor();
    graph_ = false;
    loaded_x_ = x;
    loaded_lambda_ = lambda;
    copy_in(x, x_);
    copy_in(lambda, lambda_);
    loaded_ = true;
  }

  // Keeps ∇_x g(x, λ) with its graph (create_graph) for the products.
  void build_graph(const VectorRef& x, const VectorRef& lambda) const {
    load(x, lambda);
    if (graph_) return;
    gradient_ = torch::autograd::grad({inner_objective()}, {x_}, {}, /*retain_graph=*/true,
                                      /*create_graph=*/true)[0];
    graph_ = true;
  }

  // ∂/∂input ⟨∇_x g, w⟩, keeping the graph for the next product.
  Tensor backward_of_gradient(const Tensor& input) const {
    if (!gradient_.requires_grad()) return Tensor();  // ∇_x g constant in everything
    return torch::autograd::grad({gradient_}, {input}, {w_}, /*retain_graph=*/true,
                                 /*create_graph=*/false, /*allow_unused=*/true)[0];
  }

  TorchKind kind_;
  HyperKind hyper_;
  int classes_;
  Activation activation_;
  double l2_;
  double initial_log_decay_;
  torch::Device device_;
  DataPart train_, validation_, test_;
  std::vector<Layer> layers_;  // mlp
  std::int64_t dim_ = 0;
  Tensor theta0_;            // mlp: θ0 (d)
  Tensor x_;                 // leaf, d: the loaded x
  Tensor lambda_;            // leaf, p: the loaded λ
  Tensor w_;                 // d: the direction of the last product
  mutable Tensor gradient_;  // ∇_x g at the loaded point, with its graph when graph_
  mutable bool graph_ = false;
  mutable bool loaded_ = false;
  mutable Vector loaded_x_, loaded_lambda_;
};

}  // namespace

std::string torch_device_name(const std::string& device, int local_rank) {
  return pick_device(device, local_rank).str();
}

int mlp_parameter_count(int features, const std::vector<int>& hidden, int classes) {
  std::int64_t in = features, total = 0;
  std::vector<int> widths = hidden;
  widths.push_back(classes == 2 ? 1 : classes);
  for (const int out : widths) {
    total += in * out + out;
    in = out;
  }
  return static_cast<int>(total);
}

std::unique_ptr<LocalProblem> make_torch_problem(const TorchSpec& spec, LabelledData train,
                                                 LabelledData validation, LabelledData test) {
  if (!(spec.l2 >= 0 && std::isfinite(spec.l2)))
    throw Error("torch problem: l2 = " + number(spec.l2) + " is invalid; expected l2 >= 0");
  if (!std::isfinite(spec.initial_log_decay))
    throw Error("torch problem: initial_log_decay = " + number(spec.initial_log_decay) +
                " is invalid; expected a finite number");
  if ((spec.kind == TorchKind::softmax || spec.kind == TorchKind::mlp) && spec.classes < 2)
    throw Error(std::string("torch problem: ") + kind_name(spec.kind) +
                " needs classes >= 2, got " + std::to_string(spec.classes));
  if ((spec.kind == TorchKind::logistic || spec.kind == TorchKind::ridge) && spec.classes != 2)
    throw Error(std::string("torch problem: ") + kind_name(spec.kind) + " needs classes = 2, got " +
                std::to_string(spec.classes) + "; use softmax or mlp for more classes");
  if (spec.hyper == HyperKind::per_sample && spec.l2 <= 0)
    throw Error("torch problem: per-sample weights need l2 > 0 (got " + number(spec.l2) +
                ") to keep the inner problem strongly convex");
  if (spec.kind == TorchKind::mlp) {
    if (spec.hidden.empty()) throw Error("torch problem: an mlp needs at least one hidden layer");
    for (const int width : spec.hidden)
      if (width < 1)
        throw Error("torch problem: hidden layer width " + std::to_string(width) +
                    " is invalid; expected >= 1");
  }
  if (train.features.rows() == 0)
    throw Error("torch problem: the training part is empty; expected at least one sample");
  const torch::Device device = pick_device(spec.device, spec.local_rank);
  if (device.is_cpu() && spec.threads > 0) at::set_num_threads(spec.threads);
  const Eigen::Index columns = train.features.cols();
  try {
    DataPart train_part =
        make_part(train, "training", columns, spec.classes, spec.bias, spec.kind, device);
    DataPart validation_part =
        make_part(validation, "validation", columns, spec.classes, spec.bias, spec.kind, device);
    DataPart test_part =
        make_part(test, "test", columns, spec.classes, spec.bias, spec.kind, device);
    if (train_part.features.size(1) == 0)
      throw Error("torch problem: the model has no parameters (no features and no bias)");
    return std::make_unique<TorchProblem>(spec, device, std::move(train_part),
                                          std::move(validation_part), std::move(test_part),
                                          columns);
  } catch (const c10::Error& e) {
    throw Error(std::string("torch problem: LibTorch failed: ") + e.what_without_backtrace());
  }
}

}  // namespace hyperpush::model
