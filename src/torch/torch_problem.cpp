// Backend `torch` (torch_problem.hpp): a local bilevel problem over a Network (network.hpp), the
// model's forward pass as a function of θ; every derivative by autograd.
#include "hyperpush/torch/torch_problem.hpp"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/types.h>
#include <torch/utils.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "hyperpush/error.hpp"
#include "hyperpush/model/hyperparameter_kind.hpp"
#include "network.hpp"

namespace hyperpush::model {
namespace {

using at::Tensor;
using torch_backend::Network;

// One data part on the device: features (m × q, row per sample) and labels.
struct DataPart {
  Tensor features;  // double
  Tensor labels;    // int64
  Tensor targets;   // double: y (logistic) or 2y − 1 (ridge)
  std::int64_t rows = 0;
};

// Checks one part like make_linear_problem does (the same messages); copies it to the device.
DataPart make_part(const LabelledData& part, const std::string& name, Eigen::Index columns,
                   int classes, bool ridge, const torch::Device& device) {
  check_labelled_part(part, "torch problem: " + name + " part", columns, classes);
  const Eigen::Index m = part.features.rows();
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  RowMajor design(m, columns);
  if (m > 0) design = part.features;
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
  if (ridge) out.targets = 2 * out.targets - 1;
  return out;
}

class TorchProblem final : public LocalProblem {
 public:
  TorchProblem(const TorchSpec& spec, std::unique_ptr<Network> network, torch::Device device,
               DataPart train, DataPart validation, DataPart test)
      : hyper_(spec.hyper),
        ridge_(spec.kind == TorchKind::ridge),
        l2_(spec.l2),
        device_(device),
        network_(std::move(network)),
        dim_(network_->dim()),
        train_(std::move(train)),
        validation_(std::move(validation)),
        test_(std::move(test)),
        kind_(make_hyperparameter_kind(
            spec.hyper, spec.l2, spec.initial_log_decay,
            {static_cast<int>(dim_), static_cast<int>(train_.rows), spec.classes})) {
    const auto options = torch::TensorOptions().dtype(torch::kFloat64).device(device_);
    if (torch_backend::has_initial_parameters(spec.kind))
      theta0_ = network_->initial_parameters(spec.seed).to(device_);
    x_ = torch::zeros({dim_}, options).requires_grad_(true);
    lambda_ = torch::zeros({hyper_dim()}, options).requires_grad_(true);
    w_ = torch::zeros({dim_}, options);
  }

  int dim() const override { return static_cast<int>(dim_); }
  int hyper_dim() const override { return kind_->dim(); }
  Vector initial_lambda() const override { return kind_->initial(); }

  double inner_loss(const VectorRef& x, const VectorRef& lambda) const override {
    torch::NoGradGuard no_grad;
    load(x, lambda);
    return inner_objective(train_).item<double>();
  }

  void inner_gradient(const VectorRef& x, const VectorRef& lambda, VectorOut out) const override {
    load(x, lambda);
    if (graph_ && !train_batch_) {  // ∇_x g of the kept graph (of the whole training part)
      copy_out(gradient_.detach(), out);
      return;
    }
    // A plain reverse pass: the inner solvers call this at a new x every round.
    copy_out(torch::autograd::grad({inner_objective(train_)}, {x_})[0], out);
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
    if (validation().rows == 0) {
      out.setZero();
      return;
    }
    load(x, lambda);
    copy_out(torch::autograd::grad({outer_objective()}, {x_})[0], out);
  }

  void outer_gradient_lambda(const VectorRef& x, const VectorRef& lambda,
                             VectorOut out) const override {
    if (!kind_->offsets_logits() || validation().rows == 0) {
      out.setZero();  // f does not depend on λ
      return;
    }
    load(x, lambda);
    copy_out(torch::autograd::grad({outer_objective()}, {lambda_})[0], out);
  }

  int train_samples() const override { return static_cast<int>(train_.rows); }
  int validation_samples() const override { return static_cast<int>(validation_.rows); }
  void use_minibatch(const Minibatch& batch) const override {
    check_minibatch(*kind_, batch);
    train_batch_ = rows_of(train_, batch.train);
    validation_batch_ = rows_of(validation_, batch.validation);
    gradient_ = Tensor();  // the kept graph belongs to the part it was built on
    graph_ = false;
  }

  double test_metric(const VectorRef& x, const VectorRef& lambda) const override {
    if (test_.rows == 0) return std::numeric_limits<double>::quiet_NaN();
    torch::NoGradGuard no_grad;
    const Tensor predicted = predicted_classes(x, lambda, test_);
    return predicted.eq(test_.labels).sum().item<double>() / static_cast<double>(test_.rows);
  }

  Eigen::VectorXi predict(const VectorRef& x, const VectorRef& lambda, Part part) const override {
    const DataPart& data = part == Part::train ? train_ : test_;
    if (data.rows == 0) return {};
    torch::NoGradGuard no_grad;
    const Tensor predicted =
        predicted_classes(x, lambda, data).to(torch::kInt32).to(torch::kCPU).contiguous();
    return Eigen::Map<const Eigen::VectorXi>(predicted.data_ptr<int>(), data.rows);
  }

 private:
  // Predicted class of every sample of a part: z > 0 for one logit, else the first largest logit
  // (of Z + 1 λᵀ for per-class).
  Tensor predicted_classes(const VectorRef& x, const VectorRef& lambda,
                           const DataPart& data) const {
    const auto options = torch::TensorOptions().dtype(torch::kFloat64);
    // The caller's vectors (copied to a GPU), not the leaves: those keep the loaded point.
    const Tensor point =
        torch::from_blob(const_cast<double*>(x.data()), {x.size()}, options).to(device_);
    Tensor logit = network_->logits(parameters(point), data.features);
    if (kind_->offsets_logits())
      logit = logit + torch::from_blob(const_cast<double*>(lambda.data()), {lambda.size()}, options)
                          .to(device_);
    return logit.dim() == 1 ? logit.gt(0).to(torch::kInt64) : logit.argmax(1);
  }

  // θ: θ0 + x for the networks, x for the linear kinds.
  Tensor parameters(const Tensor& x) const { return theta0_.defined() ? theta0_ + x : x; }

  // ℓ_k of every sample of a part at the loaded λ: per-class weights add λ to every logit row.
  Tensor losses(const Tensor& theta, const DataPart& part) const {
    Tensor z = network_->logits(theta, part.features);
    if (kind_->offsets_logits()) z = z + lambda_;  // Z + 1 λᵀ
    return torch_backend::sample_losses(z, part.labels, part.targets, ridge_);
  }

  // The parts the products and the outer oracles use: a minibatch when one is set.
  const DataPart& training() const { return train_batch_ ? *train_batch_ : train_; }
  const DataPart& validation() const {
    return validation_batch_ ? *validation_batch_ : validation_;
  }
  std::optional<DataPart> rows_of(const DataPart& part, const std::vector<int>& rows) const {
    if (rows.empty()) return std::nullopt;
    const Tensor index =
        torch::tensor(std::vector<std::int64_t>(rows.begin(), rows.end()), torch::kInt64)
            .to(device_);
    return DataPart{part.features.index_select(0, index), part.labels.index_select(0, index),
                    part.targets.index_select(0, index), static_cast<std::int64_t>(rows.size())};
  }

  // g(x, λ) = Σ_k s_k ℓ_k + ½ Σ_j δ_j x_j² (hyperparameter_kind.hpp) on `part` (the training part
  // or a minibatch of it) at the loaded leaves, one expression for autograd to differentiate.
  Tensor inner_objective(const DataPart& part) const {
    const Tensor losses = this->losses(parameters(x_), part);
    const Tensor data = kind_->weighs_samples()  // (1/m) Σ_k λ_k ℓ_k, else the mean
                            ? lambda_.dot(losses) / static_cast<double>(part.rows)
                            : losses.mean();
    switch (hyper_) {
      case HyperKind::l2:  // ½ (e^λ + l2) ‖x‖²
        return data + 0.5 * (lambda_.exp().squeeze(0) + l2_) * x_.dot(x_);
      case HyperKind::per_feature:  // ½ Σ_j (e^{λ_j} + l2) x_j²
        return data + 0.5 * ((lambda_.exp() + l2_) * x_.square()).sum();
      case HyperKind::per_sample:  // ½ l2 ‖x‖²
      case HyperKind::per_class:
        return data + 0.5 * l2_ * x_.dot(x_);
    }
    return {};
  }

  // f(x, λ) = mean ℓ on the validation part (λ in it for per-class only); 0 without samples.
  Tensor outer_objective() const {
    if (validation().rows == 0) return torch::zeros({}, x_.options());
    return losses(parameters(x_), validation()).mean();
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
    gradient_ =
        torch::autograd::grad({inner_objective(training())}, {x_}, {}, /*retain_graph=*/true,
                              /*create_graph=*/true)[0];
    graph_ = true;
  }

  // ∂/∂input ⟨∇_x g, w⟩, keeping the graph for the next product.
  Tensor backward_of_gradient(const Tensor& input) const {
    if (!gradient_.requires_grad()) return Tensor();  // ∇_x g constant in everything
    return torch::autograd::grad({gradient_}, {input}, {w_}, /*retain_graph=*/true,
                                 /*create_graph=*/false, /*allow_unused=*/true)[0];
  }

  HyperKind hyper_;
  bool ridge_;
  double l2_;
  torch::Device device_;
  std::unique_ptr<Network> network_;
  std::int64_t dim_;
  DataPart train_, validation_, test_;
  std::unique_ptr<HyperparameterKind> kind_;  // sizes of λ, where λ enters the data term
  Tensor theta0_;  // networks: θ0 (d); undefined for the linear kinds (θ = x)
  Tensor x_;       // leaf, d: the loaded x
  Tensor lambda_;  // leaf, p: the loaded λ
  Tensor w_;       // d: the direction of the last product
  mutable std::optional<DataPart> train_batch_, validation_batch_;  // use_minibatch
  mutable Tensor gradient_;  // ∇_x g at the loaded point, with its graph when graph_
  mutable bool graph_ = false;
  mutable bool loaded_ = false;
  mutable Vector loaded_x_, loaded_lambda_;
};

}  // namespace

std::string torch_device_name(const std::string& device, int local_rank) {
  return torch_backend::pick_device(device, local_rank).str();
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
  const std::string where = "torch problem";
  torch_backend::check_spec(spec, where);
  if (train.features.rows() == 0)
    throw Error("torch problem: the training part is empty; expected at least one sample");
  const torch::Device device = torch_backend::pick_device(spec.device, spec.local_rank);
  torch_backend::set_cpu_threads(device, spec.threads);
  const Eigen::Index columns = train.features.cols();
  const bool ridge = spec.kind == TorchKind::ridge;
  try {
    DataPart train_part = make_part(train, "training", columns, spec.classes, ridge, device);
    DataPart validation_part =
        make_part(validation, "validation", columns, spec.classes, ridge, device);
    DataPart test_part = make_part(test, "test", columns, spec.classes, ridge, device);
    auto network = torch_backend::make_network(spec, columns, device, where);
    if (network->dim() == 0)
      throw Error("torch problem: the model has no parameters (no features and no bias)");
    if (spec.hyper == HyperKind::per_class && spec.kind == TorchKind::torchscript) {
      torch::NoGradGuard no_grad;  // the module's output shape: one logit per sample or C
      const Tensor theta = network->initial_parameters(spec.seed).to(device);
      if (network->logits(theta, train_part.features.narrow(0, 0, 1)).dim() == 1)
        throw Error("torch problem: per-class logit weights need a model with C >= 2 logits; " +
                    spec.file + " has one logit per sample");
    }
    return std::make_unique<TorchProblem>(spec, std::move(network), device, std::move(train_part),
                                          std::move(validation_part), std::move(test_part));
  } catch (const c10::Error& e) {
    throw Error(std::string("torch problem: LibTorch failed: ") + e.what_without_backtrace());
  }
}

}  // namespace hyperpush::model
