// [model] kind = "torchscript" (network.hpp): a user's TorchScript module as a pure function of θ.
// The only translation unit that includes torch/script.h (the JIT: slow to compile).
//
// θ ↔ module: the module's parameters, in named_parameters() order, are flattened into θ0; every
// forward first replaces each parameter attribute of its owning submodule by the view
// θ.narrow(offset, numel).view(shape), so autograd (and its double backward for H w and J w)
// reaches θ through the module's own operations, and restores the module's tensors afterwards.
#include <torch/script.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "hyperpush/error.hpp"
#include "network.hpp"

namespace hyperpush::model::torch_backend {
namespace {

using at::Tensor;

// Samples in the checking batch: two, not one, so a module that mixes up the batch dimension (a
// reshape to -1, a squeeze()) shows in the output's shape.
constexpr std::int64_t kCheckRows = 2;

// The last non-empty line of a LibTorch message: the TorchScript interpreter puts its traceback
// of the module's code first and the error itself last; the CLI prints errors as one line.
std::string last_line(const std::string& text) {
  std::istringstream lines(text);
  std::string line, last;
  while (std::getline(lines, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  const auto start = last.find_first_not_of(" \t");
  return start == std::string::npos ? text : last.substr(start);
}

std::string message_of(const std::exception& e) {
  if (const auto* c10_error = dynamic_cast<const c10::Error*>(&e))
    return last_line(c10_error->what_without_backtrace());
  return last_line(e.what());
}

std::string shape_text(at::IntArrayRef sizes) {
  std::string text = "[";
  for (std::size_t k = 0; k < sizes.size(); ++k)
    text += (k > 0 ? ", " : "") + std::to_string(sizes[k]);
  return text + "]";
}

// One parameter of the module: the attribute `name` of `owner`, stored in θ at `offset`.
struct Parameter {
  mutable torch::jit::Module owner;  // a handle: setattr changes the module, not the handle
  std::string name;
  std::vector<std::int64_t> shape;
  std::int64_t offset = 0, numel = 0;
  Tensor original;  // the module's own tensor, put back after every forward
};

class TorchScriptNetwork final : public Network {
 public:
  TorchScriptNetwork(std::string file, torch::jit::Module module, std::int64_t features,
                     int classes, const torch::Device& device)
      : file_(std::move(file)),
        module_(std::move(module)),
        features_(features),
        classes_(classes),
        device_(device) {
    // Eval mode: dropout off and batch norm on its running statistics, so g is a function of θ.
    module_.eval();
    // Tied parameters (one tensor under two names) keep one slice of θ.
    std::unordered_map<const c10::TensorImpl*, std::int64_t> offsets;
    std::vector<Tensor> pieces;
    for (const auto& named : module_.named_parameters(/*recurse=*/true)) {
      Parameter parameter;
      parameter.owner = owner_of(named.name, parameter.name);
      parameter.original = named.value;
      parameter.shape = named.value.sizes().vec();
      parameter.numel = named.value.numel();
      const auto tied = offsets.find(named.value.unsafeGetTensorImpl());
      if (tied != offsets.end()) {
        parameter.offset = tied->second;
      } else {
        parameter.offset = dim_;
        offsets.emplace(named.value.unsafeGetTensorImpl(), dim_);
        dim_ += parameter.numel;
        shapes_.push_back(parameter.shape);
        pieces.push_back(named.value.detach().reshape({-1}));
      }
      parameters_.push_back(std::move(parameter));
    }
    if (parameters_.empty())
      throw Error(file_ +
                  ": the TorchScript module has no parameters (named_parameters() is empty); "
                  "expected at least one");
    theta0_ = torch::cat(pieces).to(torch::kCPU);
    has_hidden_ = module_.find_method("hidden").has_value();
    check();
  }

  std::int64_t dim() const override { return dim_; }

  at::Tensor logits(const at::Tensor& theta, const at::Tensor& features) const override {
    const Bound bound(*this, theta);
    const Tensor out = module_.forward({features}).toTensor();
    // m × 1 → m: one logit per sample (the logistic loss).
    return out.dim() == 2 && out.size(1) == 1 ? out.squeeze(1) : out;
  }

  std::vector<at::Tensor> hidden(const at::Tensor& theta,
                                 const at::Tensor& features) const override {
    if (!has_hidden_) return {};
    const Bound bound(*this, theta);
    std::vector<Tensor> layers;
    // m × … per layer (feature maps m × C × H × W included) → m × width.
    const c10::IValue out = module_.run_method("hidden", features);  // outlives toListRef()
    if (!out.isList()) throw Error("it returns a " + out.tagKind() + ", not a list");
    for (const c10::IValue& layer : out.toListRef()) {
      if (!layer.isTensor()) throw Error("its list holds a " + layer.tagKind());
      const Tensor h = layer.toTensor();
      if (h.dim() == 0 || h.size(0) != features.size(0))
        throw Error("it returns a tensor of shape " + shape_text(h.sizes()) + " for " +
                    std::to_string(features.size(0)) + " samples");
      layers.push_back(h.dim() == 1 ? h.unsqueeze(1) : h.flatten(1));
    }
    return layers;
  }

  at::Tensor initial_parameters(std::uint64_t seed) const override {
    (void)seed;  // the file's parameters, whatever the seed
    return theta0_.clone();
  }

  std::vector<std::vector<std::int64_t>> parameter_shapes() const override { return shapes_; }

 private:
  // While alive, every parameter of the module is its view into θ; the destructor puts the
  // module's own tensors back (so the module keeps no reference to θ or its graph). Runs the
  // graph executor without its optimizer: the plain plan evaluates the module's operations one by
  // one under eager autograd, whose backward is itself differentiable (H w and J w need that);
  // the optimized plans swap subgraphs for symbolic-autodiff and fusion nodes chosen from
  // profiling runs, whose double backward LibTorch does not promise and which differ by device.
  class Bound {
   public:
    Bound(const TorchScriptNetwork& network, const Tensor& theta)
        : network_(network), optimizer_(false) {
      for (const Parameter& p : network_.parameters_)
        p.owner.setattr(p.name, theta.narrow(0, p.offset, p.numel).view(p.shape));
    }
    ~Bound() {
      for (const Parameter& p : network_.parameters_) p.owner.setattr(p.name, p.original);
    }
    Bound(const Bound&) = delete;
    Bound& operator=(const Bound&) = delete;

   private:
    const TorchScriptNetwork& network_;
    torch::jit::GraphOptimizerEnabledGuard optimizer_;
  };

  // The submodule that owns the parameter with dotted name `path` ("layers.0.weight"), and the
  // attribute's name in it ("weight").
  torch::jit::Module owner_of(const std::string& path, std::string& attribute) const {
    torch::jit::Module owner = module_;
    std::size_t start = 0;
    for (std::size_t dot = path.find('.'); dot != std::string::npos;
         start = dot + 1, dot = path.find('.', start))
      owner = owner.attr(path.substr(start, dot - start)).toModule();
    attribute = path.substr(start);
    return owner;
  }

  // Runs forward (and hidden, where defined) on a kCheckRows × q batch of zeros at θ0 and checks
  // what comes back, so that a module that does not fit the data fails here with a message
  // rather than in the first oracle call.
  void check() const {
    const std::string q = std::to_string(features_);
    const std::string rows = std::to_string(kCheckRows);
    const Tensor batch = torch::zeros(
        {kCheckRows, features_}, torch::TensorOptions().dtype(torch::kFloat64).device(device_));
    const torch::AutoGradMode grad(true);
    const Tensor theta = theta0_.to(device_).requires_grad_(true);
    c10::IValue out;
    try {
      const Bound bound(*this, theta);
      out = module_.forward({batch});
    } catch (const std::exception& e) {
      throw Error(file_ + ": forward fails on a " + rows + " × " + q +
                  " batch of zeros: " + message_of(e) + "; the module must accept m × " + q +
                  " double inputs (one sample per row, q = " + q + " features of the data)");
    }
    if (!out.isTensor())
      throw Error(file_ + ": forward returns a " + out.tagKind() +
                  "; expected one tensor of logits");
    const Tensor logit = out.toTensor();
    const at::IntArrayRef shape = logit.sizes();
    const bool many = logit.dim() == 2 && shape[0] == kCheckRows && shape[1] == classes_;
    const bool one =
        classes_ == 2 && ((logit.dim() == 2 && shape[0] == kCheckRows && shape[1] == 1) ||
                          (logit.dim() == 1 && shape[0] == kCheckRows));
    if (!many && !one)
      throw Error(file_ + ": forward maps a " + rows + " × " + q + " batch to logits of shape " +
                  shape_text(shape) + "; expected " + rows + " × " + std::to_string(classes_) +
                  " (m × C, C = " + std::to_string(classes_) + " classes)" +
                  (classes_ == 2 ? ", or " + rows + " × 1 or " + rows + " for one logit" : ""));
    if (logit.scalar_type() != torch::kFloat64)
      throw Error(file_ + ": forward returns logits of type " +
                  std::string(c10::toString(logit.scalar_type())) +
                  "; expected Double (create every tensor of the module in double precision)");
    if (!logit.requires_grad())
      throw Error(file_ +
                  ": the logits do not depend on the module's parameters (does forward detach "
                  "them?); expected a function of the parameters autograd can differentiate");
    if (!has_hidden_) return;
    try {
      hidden(theta, batch);
    } catch (const std::exception& e) {
      throw Error(file_ + ": the module's method hidden fails on a " + rows + " × " + q +
                  " batch of zeros: " + message_of(e) +
                  "; expected a list of tensors, one per hidden layer, each " + rows + " × …");
    }
  }

  std::string file_;
  mutable torch::jit::Module module_;  // its parameters are bound to θ during a call
  std::int64_t features_;
  int classes_;
  torch::Device device_;
  std::vector<Parameter> parameters_;
  std::vector<std::vector<std::int64_t>> shapes_;  // of the distinct parameters, θ order
  std::int64_t dim_ = 0;
  Tensor theta0_;  // CPU
  bool has_hidden_ = false;
};

}  // namespace

std::unique_ptr<Network> make_torchscript_network(const std::string& file, std::int64_t features,
                                                  int classes, const torch::Device& device) {
  const std::string valid = "; expected a TorchScript module saved by torch.jit.save (model.file)";
  std::error_code ignored;
  const auto status = std::filesystem::status(file, ignored);
  if (!std::filesystem::exists(status)) throw Error(file + ": no such file" + valid);
  if (!std::filesystem::is_regular_file(status)) throw Error(file + ": not a regular file" + valid);
  if (!std::ifstream(file, std::ios::binary))
    throw Error(file + ": cannot open: " + std::strerror(errno) + valid);
  torch::jit::Module module;
  try {
    module = torch::jit::load(file, device);
    module.to(torch::kFloat64);
  } catch (const std::exception& e) {
    throw Error(file + ": LibTorch cannot load it: " + message_of(e) + valid);
  }
  try {
    return std::make_unique<TorchScriptNetwork>(file, std::move(module), features, classes, device);
  } catch (const c10::Error& e) {
    throw Error(file + ": LibTorch failed on the TorchScript model: " + message_of(e));
  }
}

}  // namespace hyperpush::model::torch_backend
