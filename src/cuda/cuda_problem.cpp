// Backend `cuda`: a binary linear model (logistic or ridge) as a local bilevel problem with its
// data on a CUDA device (cuda_problem.hpp). The host side: Eigen vectors in and out, cuBLAS GEMVs,
// the regularizer on d-vectors; the per-sample math runs in linear_kernels.cu.
#include "hyperpush/model/cuda_problem.hpp"

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "hyperpush/error.hpp"
#include "linear_kernels.hpp"

namespace hyperpush::model {
namespace {

using cuda_detail::BinaryLoss;
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess)
    throw Error(std::string("cuda backend: ") + what + " failed: " + cudaGetErrorString(status));
}

void check(cublasStatus_t status, const char* what) {
  if (status != CUBLAS_STATUS_SUCCESS)
    throw Error(std::string("cuda backend: ") + what + " failed: " + cublasGetStatusString(status));
}

// n elements of T in device memory, freed with the object.
template <class T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t n) : size_(n) {
    if (n > 0) check(cudaMalloc(reinterpret_cast<void**>(&data_), n * sizeof(T)), "cudaMalloc");
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& other) noexcept { swap(other); }
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    swap(other);
    return *this;
  }
  ~DeviceBuffer() {
    if (data_) cudaFree(data_);
  }

  T* get() const { return data_; }
  void upload(const T* host) {
    if (size_ > 0)
      check(cudaMemcpy(data_, host, size_ * sizeof(T), cudaMemcpyHostToDevice),
            "cudaMemcpy to device");
  }
  void download(T* host) const {
    if (size_ > 0)
      check(cudaMemcpy(host, data_, size_ * sizeof(T), cudaMemcpyDeviceToHost),
            "cudaMemcpy to host");
  }

 private:
  void swap(DeviceBuffer& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
  }
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

class CublasHandle {
 public:
  CublasHandle() { check(cublasCreate(&handle_), "cublasCreate"); }
  CublasHandle(const CublasHandle&) = delete;
  CublasHandle& operator=(const CublasHandle&) = delete;
  ~CublasHandle() { cublasDestroy(handle_); }
  cublasHandle_t get() const { return handle_; }

 private:
  cublasHandle_t handle_ = nullptr;
};

// One data part on the device, with what depends on the current x: logits z = A x and, per sample,
// ℓ, ℓ', ℓ'' and the correct-prediction flag.
struct DevicePart {
  DevicePart(const RowMajor& design, const Eigen::VectorXi& labels_in)
      : m(static_cast<int>(design.rows())),
        q(static_cast<int>(design.cols())),
        a(static_cast<std::size_t>(design.size())),
        labels(static_cast<std::size_t>(m)),
        z(m),
        loss(m),
        slope(m),
        curvature(m),
        correct(m),
        ones(m),
        t(m) {
    a.upload(design.data());  // row-major m × q = column-major q × m (lda = q)
    labels.upload(labels_in.data());
    const Vector one = Vector::Ones(m);
    ones.upload(one.data());
  }

  int m, q;
  DeviceBuffer<double> a;
  DeviceBuffer<int> labels;
  DeviceBuffer<double> z, loss, slope, curvature, correct, ones, t;
  mutable std::uint64_t version = 0;  // the x version the per-sample terms belong to (0: none)
};

class CudaLinearProblem final : public LocalProblem {
 public:
  CudaLinearProblem(const LinearSpec& spec, const RowMajor& train,
                    const Eigen::VectorXi& train_labels, const RowMajor& validation,
                    const Eigen::VectorXi& validation_labels, const RowMajor& test,
                    const Eigen::VectorXi& test_labels)
      : loss_(spec.kind == LinearKind::ridge ? BinaryLoss::ridge : BinaryLoss::logistic),
        hyper_(spec.hyper),
        l2_(spec.l2),
        initial_log_decay_(spec.initial_log_decay),
        d_(static_cast<int>(train.cols())),
        train_(train, train_labels),
        validation_(validation, validation_labels),
        test_(test, test_labels),
        x_(d_),
        w_(d_),
        result_(d_) {
    host_x_.resize(d_);
    host_w_.resize(d_);
  }

  int dim() const override { return d_; }
  int hyper_dim() const override { return hyper_ == HyperKind::l2 ? 1 : d_; }

  double inner_loss(const VectorRef& x, const VectorRef& lambda) const override {
    const double data = mean(train_, x, &DevicePart::loss);  // (1/m) Σ_k ℓ_k
    if (hyper_ == HyperKind::l2) return data + 0.5 * (std::exp(lambda[0]) + l2_) * x.squaredNorm();
    return data + 0.5 * ((lambda.array().exp() + l2_) * x.array().square()).sum();
  }

  void inner_gradient(const VectorRef& x, const VectorRef& lambda, VectorOut out) const override {
    data_gradient(train_, x, out);  // (1/m) Aᵀ ℓ'
    add_decay_times(lambda, x, out);
  }

  void hessian_vector(const VectorRef& x, const VectorRef& lambda, const VectorRef& w,
                      VectorOut out) const override {
    // H w = (1/m) Aᵀ (ℓ'' ⊙ A w) + D(λ) w: two GEMVs over the resident A, one fused kernel; w and
    // the result are the only transfers (x is loaded already when HGP repeats it).
    update(train_, x);
    if (!w_loaded_ || w != host_w_) {
      host_w_ = w;
      w_.upload(host_w_.data());
      w_loaded_ = true;
    }
    const double one = 1.0, zero = 0.0, scale = 1.0 / train_.m;
    check(cublasDgemv(cublas_.get(), CUBLAS_OP_T, train_.q, train_.m, &one, train_.a.get(),
                      train_.q, w_.get(), 1, &zero, train_.t.get(), 1),
          "cublasDgemv (A w)");
    cuda_detail::launch_scale(train_.m, train_.curvature.get(), train_.t.get());  // ℓ'' ⊙ A w
    check(cudaGetLastError(), "the HVP weight kernel");
    check(cublasDgemv(cublas_.get(), CUBLAS_OP_N, train_.q, train_.m, &scale, train_.a.get(),
                      train_.q, train_.t.get(), 1, &zero, result_.get(), 1),
          "cublasDgemv (Aᵀ t)");
    download_result(out);
    add_decay_times(lambda, w, out);
  }

  void cross_vector(const VectorRef& x, const VectorRef& lambda, const VectorRef& w,
                    VectorOut out) const override {
    if (hyper_ == HyperKind::l2)  // ∂/∂λ (e^λ + l2) xᵀw = e^λ xᵀw
      out[0] = std::exp(lambda[0]) * x.dot(w);
    else  // e^λ ⊙ x ⊙ w
      out = (lambda.array().exp() * x.array() * w.array()).matrix();
  }

  double outer_loss(const VectorRef& x, const VectorRef&) const override {
    return validation_.m == 0 ? 0.0 : mean(validation_, x, &DevicePart::loss);
  }
  void outer_gradient_x(const VectorRef& x, const VectorRef&, VectorOut out) const override {
    if (validation_.m == 0) {
      out.setZero();
      return;
    }
    data_gradient(validation_, x, out);
  }
  void outer_gradient_lambda(const VectorRef&, const VectorRef&, VectorOut out) const override {
    out.setZero();  // f does not depend on λ
  }

  double test_metric(const VectorRef& x) const override {
    if (test_.m == 0) return std::numeric_limits<double>::quiet_NaN();
    return mean(test_, x, &DevicePart::correct);
  }

  Eigen::VectorXi predict(const VectorRef& x, Part part) const override {
    const DevicePart& p = part == Part::train ? train_ : test_;
    if (p.m == 0) return {};
    update(p, x);
    Vector z(p.m);
    p.z.download(z.data());
    return (z.array() > 0).cast<int>();
  }

  Vector initial_lambda() const override {
    return Vector::Constant(hyper_dim(), initial_log_decay_);
  }

 private:
  // Loads x (one host→device copy when it changed) and the part's per-sample terms at x.
  void update(const DevicePart& part, const VectorRef& x) const {
    if (!x_loaded_ || x != host_x_) {
      host_x_ = x;
      x_.upload(host_x_.data());
      x_loaded_ = true;
      ++x_version_;
    }
    if (part.version == x_version_ || part.m == 0) return;
    const double one = 1.0, zero = 0.0;
    check(cublasDgemv(cublas_.get(), CUBLAS_OP_T, part.q, part.m, &one, part.a.get(), part.q,
                      x_.get(), 1, &zero, part.z.get(), 1),
          "cublasDgemv (z = A x)");
    cuda_detail::launch_binary_terms(loss_, part.m, part.z.get(), part.labels.get(),
                                     part.loss.get(), part.slope.get(), part.curvature.get(),
                                     part.correct.get());
    check(cudaGetLastError(), "the per-sample kernel");
    part.version = x_version_;
  }

  // (1/m) Σ_k v_k for a per-sample vector v of the part at x (a dot product with ones).
  double mean(const DevicePart& part, const VectorRef& x,
              DeviceBuffer<double> DevicePart::*v) const {
    update(part, x);
    double sum = 0;
    check(cublasDdot(cublas_.get(), part.m, (part.*v).get(), 1, part.ones.get(), 1, &sum),
          "cublasDdot");
    return sum / part.m;
  }

  // out = (1/m) Aᵀ ℓ'.
  void data_gradient(const DevicePart& part, const VectorRef& x, VectorOut out) const {
    update(part, x);
    const double zero = 0.0, scale = 1.0 / part.m;
    check(cublasDgemv(cublas_.get(), CUBLAS_OP_N, part.q, part.m, &scale, part.a.get(), part.q,
                      part.slope.get(), 1, &zero, result_.get(), 1),
          "cublasDgemv (Aᵀ ℓ')");
    download_result(out);
  }

  void download_result(VectorOut out) const {
    if (out.innerStride() == 1) {
      result_.download(out.data());
    } else {
      Vector host(d_);
      result_.download(host.data());
      out = host;
    }
  }

  // out += D(λ) v: (e^λ + l2) v, or (e^λ + l2) ⊙ v per feature.
  void add_decay_times(const VectorRef& lambda, const VectorRef& v, VectorOut out) const {
    if (hyper_ == HyperKind::l2)
      out += (std::exp(lambda[0]) + l2_) * v;
    else
      out += ((lambda.array().exp() + l2_) * v.array()).matrix();
  }

  BinaryLoss loss_;
  HyperKind hyper_;
  double l2_;
  double initial_log_decay_;
  int d_;
  CublasHandle cublas_;
  DevicePart train_, validation_, test_;
  mutable DeviceBuffer<double> x_, w_, result_;  // d each: the loaded x and w, the last result
  mutable Vector host_x_, host_w_;               // their host copies (what is loaded)
  mutable bool x_loaded_ = false, w_loaded_ = false;
  mutable std::uint64_t x_version_ = 0;
};

// A = [features, 1], row-major (check_linear_inputs validated the shapes).
RowMajor design_matrix(const LabelledData& part, Eigen::Index columns, bool bias) {
  RowMajor design(part.features.rows(), columns + (bias ? 1 : 0));
  if (design.rows() > 0) design.leftCols(columns) = part.features;
  if (bias) design.col(columns).setOnes();
  return design;
}

}  // namespace

int cuda_device_count() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky error of the failed probe
    return 0;
  }
  return count;
}

std::unique_ptr<LocalProblem> make_cuda_problem(const LinearSpec& spec, LabelledData train,
                                                LabelledData validation, LabelledData test,
                                                int local_rank) {
  if (spec.kind == LinearKind::softmax)
    throw Error(
        "model.backend = \"cuda\": model.kind = \"softmax\" is not available on the cuda backend "
        "(it has logistic and ridge); use backend = \"eigen\" or \"torch\"");
  if (spec.hyper == HyperKind::per_sample)
    throw Error(
        "model.backend = \"cuda\": model.hyper = \"per-sample\" is not available on the cuda "
        "backend (it has l2 and per-feature); use backend = \"eigen\" or \"torch\"");
  check_linear_inputs(spec, train, validation, test);  // the reference's checks and messages

  int count = 0;
  const cudaError_t probe = cudaGetDeviceCount(&count);
  if (probe != cudaSuccess || count == 0) {
    cudaGetLastError();
    throw Error(
        std::string("model.backend = \"cuda\": no CUDA device (") +
        (probe != cudaSuccess ? cudaGetErrorString(probe) : "the driver reports 0 devices") +
        "); run on a machine with a GPU or use backend = \"eigen\"");
  }
  check(cudaSetDevice(local_rank % count), "cudaSetDevice");

  const Eigen::Index columns = train.features.cols();
  return std::make_unique<CudaLinearProblem>(
      spec, design_matrix(train, columns, spec.bias), train.labels,
      design_matrix(validation, columns, spec.bias), validation.labels,
      design_matrix(test, columns, spec.bias), test.labels);
}

}  // namespace hyperpush::model
