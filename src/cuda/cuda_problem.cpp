// Backend `cuda` (cuda_problem.hpp): the data terms of a linear model (logistic, ridge or softmax)
// with their data on a CUDA device, a kernel set behind sample_loss.hpp; the problem over them is
// the Eigen reference's (make_linear_problem), the regularizer and J w on d-vectors on the host
// (hyperparameter_kind.hpp). Here: Eigen vectors in and out, cuBLAS products with the resident
// design matrix; the per-sample math runs in linear_kernels.cu.
#include "hyperpush/cuda/cuda_problem.hpp"

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "hyperpush/error.hpp"
#include "linear_kernels.hpp"

namespace hyperpush::model {
namespace {

using cuda_detail::BinaryLoss;

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
  // Copies n elements from the host into [offset, offset + n).
  void upload(const T* host, std::size_t n, std::size_t offset = 0) {
    if (n > 0)
      check(cudaMemcpy(data_ + offset, host, n * sizeof(T), cudaMemcpyHostToDevice),
            "cudaMemcpy to device");
  }
  void upload(const T* host) { upload(host, size_); }
  // Copies the first n elements (all by default) to the host.
  void download(T* host, std::size_t n) const {
    if (n > 0)
      check(cudaMemcpy(host, data_, n * sizeof(T), cudaMemcpyDeviceToHost), "cudaMemcpy to host");
  }
  void download(T* host) const { download(host, size_); }

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

// What the three parts of one problem share on the device: the cuBLAS handle, the loaded x and w
// (one host→device copy per distinct vector, whichever part asks first) and a d-vector result.
class DeviceModel {
 public:
  explicit DeviceModel(int d) : x(d), w(d), result(d) {}

  // Loads x unless it is loaded already; returns its version (1, 2, …: one per distinct x).
  std::uint64_t load_x(const VectorRef& v) {
    if (!x_loaded_ || v != host_x_) {
      host_x_ = v;
      x.upload(host_x_.data());
      x_loaded_ = true;
      ++x_version_;
    }
    return x_version_;
  }
  void load_w(const VectorRef& v) {
    if (w_loaded_ && v == host_w_) return;
    host_w_ = v;
    w.upload(host_w_.data());
    w_loaded_ = true;
  }

  CublasHandle cublas;
  DeviceBuffer<double> x, w, result;  // d each

 private:
  Vector host_x_, host_w_;  // host copies of what is loaded
  bool x_loaded_ = false, w_loaded_ = false;
  std::uint64_t x_version_ = 0;
};

// The data term of one part on the device (sample_loss.hpp): A = [features, 1] column-major m × q
// (the features exactly as Eigen holds them, then the ones: no host copy, no transpose), the
// labels, the sample weights s, the offsets b, and what depends on the current x (and b). C is the
// number of logits per sample: 1 for the binary models, the class count for softmax; per-sample
// matrices are column-major m × C.
class CudaSampleLoss final : public SampleLoss {
 public:
  CudaSampleLoss(std::shared_ptr<DeviceModel> device, const LabelledData& data, int q, bool bias,
                 LinearKind kind, int logits);

  int samples() const override { return m_; }
  int dim() const override { return q_ * c_; }
  void set_sample_weights(const VectorRef& s) const override {
    if (s == host_weights_) return;
    host_weights_ = s;
    weights_.upload(host_weights_.data());
  }
  void set_logit_offset(const VectorRef& b) const override {
    if (!softmax()) SampleLoss::set_logit_offset(b);  // throws: one logit per sample
    if (offset_set_ && b == host_offset_) return;
    host_offset_ = b;
    offset_.upload(host_offset_.data());
    offset_set_ = offset_changed_ = true;
  }

  double value(const VectorRef& x) const override {  // Σ_k s_k ℓ_k, a dot product on the device
    if (m_ == 0) return 0.0;
    update(x);
    return dot(weights_, loss_);
  }
  void gradient(const VectorRef& x, VectorOut out) const override {  // Aᵀ r
    if (m_ == 0) {
      out.setZero();
      return;
    }
    residual(x);
    times_a(CUBLAS_OP_T, scratch_.get(), device_->result.get());
    download(device_->result, dim(), out);
  }
  void hessian_vector(const VectorRef& x, const VectorRef& w, VectorOut out) const override {
    // H w = Aᵀ (weights ⊙ A W): two cuBLAS products over the resident A and one kernel; w and the
    // result are the only transfers (x is loaded already when HGP repeats it).
    hvp_weights(x, w);
    times_a(CUBLAS_OP_T, scratch_.get(), device_->result.get());  // Aᵀ U
    download(device_->result, dim(), out);
  }
  void sample_gradient_dots(const VectorRef& x, const VectorRef& w, VectorOut out) const override;
  void offset_gradient(const VectorRef& x, VectorOut out) const override {
    if (m_ == 0) {
      out.setZero();
      return;
    }
    residual(x);  // Σ_k s_k (P_k − Y_k): the column sums of the gradient's residual
    column_sums(scratch_.get(), out);
  }
  void offset_cross_vector(const VectorRef& x, const VectorRef& w, VectorOut out) const override {
    hvp_weights(x, w);  // Σ_k s_k R_k = Uᵀ 1 after the HVP's weights
    column_sums(scratch_.get(), out);
  }

  Eigen::VectorXi predictions(const VectorRef& x) const override {
    if (m_ == 0) return {};
    update(x);
    Eigen::VectorXi predicted(m_);
    predicted_.download(predicted.data());
    return predicted;
  }
  double accuracy(const VectorRef& x) const override {
    if (m_ == 0) return std::numeric_limits<double>::quiet_NaN();
    update(x);
    return dot(correct_, ones_) / m_;  // an exact count, then one division
  }

 private:
  bool softmax() const { return kind_ == LinearKind::softmax; }
  void times_a(cublasOperation_t op, const double* v, double* out) const;
  void update(const VectorRef& x) const;
  void residual(const VectorRef& x) const;
  void times_w(const VectorRef& x, const VectorRef& w) const;
  void hvp_weights(const VectorRef& x, const VectorRef& w) const;
  void column_sums(const double* r, VectorOut out) const;

  // Σ_k u_k v_k over the part's m samples (on the device; the scalar comes back).
  double dot(const DeviceBuffer<double>& u, const DeviceBuffer<double>& v) const {
    double sum = 0;
    check(cublasDdot(device_->cublas.get(), m_, u.get(), 1, v.get(), 1, &sum), "cublasDdot");
    return sum;
  }

  // out (n) ← the first n elements of a device buffer.
  static void download(const DeviceBuffer<double>& from, int n, VectorOut out) {
    if (out.innerStride() == 1) {
      from.download(out.data(), n);
    } else {
      Vector host(n);
      from.download(host.data(), n);
      out = host;
    }
  }

  std::shared_ptr<DeviceModel> device_;
  LinearKind kind_;
  int m_, q_, c_;
  DeviceBuffer<double> a_;
  DeviceBuffer<int> labels_, predicted_;
  DeviceBuffer<double> ones_;
  mutable DeviceBuffer<double> weights_, offset_;  // s (1/m until set), b (C, softmax)
  DeviceBuffer<double> logits_, prob_, loss_, slope_, curvature_, correct_;  // at the current x
  DeviceBuffer<double> scratch_;               // m × C: residuals, A W and the HVP's weights
  DeviceBuffer<double> dots_;                  // m: the per-sample gradient dots
  mutable Vector host_weights_, host_offset_;  // host copies of what is loaded
  mutable bool offset_set_ = false, offset_changed_ = false;
  mutable std::uint64_t x_version_ = 0;  // the x the per-sample terms belong to (0: none)
};

CudaSampleLoss::CudaSampleLoss(std::shared_ptr<DeviceModel> device, const LabelledData& data, int q,
                               bool bias, LinearKind kind, int logits)
    : device_(std::move(device)),
      kind_(kind),
      m_(static_cast<int>(data.features.rows())),
      q_(q),
      c_(logits),
      a_(static_cast<std::size_t>(m_) * q),
      labels_(m_),
      predicted_(m_),
      ones_(m_),
      weights_(m_),
      offset_(softmax() ? c_ : 0),
      logits_(static_cast<std::size_t>(m_) * c_),
      prob_(softmax() ? static_cast<std::size_t>(m_) * c_ : 0),
      loss_(m_),
      slope_(softmax() ? 0 : m_),
      curvature_(softmax() ? 0 : m_),
      correct_(m_),
      scratch_(static_cast<std::size_t>(m_) * c_),
      dots_(m_) {
  host_weights_ = Vector::Constant(m_, 1.0 / std::max(m_, 1));
  if (m_ == 0) return;
  const std::size_t features = static_cast<std::size_t>(data.features.cols()) * m_;
  a_.upload(data.features.data(), features);
  const Vector one = Vector::Ones(m_);
  if (bias) a_.upload(one.data(), m_, features);
  labels_.upload(data.labels.data());
  ones_.upload(one.data());
  weights_.upload(host_weights_.data());
}

// out = A V (m × C, V q × C) for op N, or Aᵀ V (q × C, V m × C) for op T; column-major, as x.
// A GEMV for one logit, else a GEMM.
void CudaSampleLoss::times_a(cublasOperation_t op, const double* v, double* out) const {
  const double one = 1.0, zero = 0.0;
  const bool transposed = op == CUBLAS_OP_T;
  if (c_ == 1) {
    check(cublasDgemv(device_->cublas.get(), op, m_, q_, &one, a_.get(), m_, v, 1, &zero, out, 1),
          transposed ? "cublasDgemv (Aᵀ r)" : "cublasDgemv (A v)");
    return;
  }
  const int rows = transposed ? q_ : m_, inner = transposed ? m_ : q_;
  check(cublasDgemm(device_->cublas.get(), op, CUBLAS_OP_N, rows, c_, inner, &one, a_.get(), m_, v,
                    inner, &zero, out, rows),
        transposed ? "cublasDgemm (Aᵀ R)" : "cublasDgemm (A V)");
}

// Loads x (one host→device copy when it changed) and the per-sample terms at x and b: the logits
// Z = A X, then ℓ, its derivatives (or P), the predictions.
void CudaSampleLoss::update(const VectorRef& x) const {
  const std::uint64_t version = device_->load_x(x);
  if (m_ == 0) return;
  if (x_version_ != version)
    times_a(CUBLAS_OP_N, device_->x.get(), logits_.get());
  else if (!offset_changed_)
    return;  // Z and every term at (x, b) are there
  if (softmax())
    cuda_detail::launch_softmax_terms(m_, c_, logits_.get(), offset_set_ ? offset_.get() : nullptr,
                                      labels_.get(), prob_.get(), loss_.get(), predicted_.get(),
                                      correct_.get());
  else
    cuda_detail::launch_binary_terms(
        kind_ == LinearKind::ridge ? BinaryLoss::ridge : BinaryLoss::logistic, m_, logits_.get(),
        labels_.get(), loss_.get(), slope_.get(), curvature_.get(), predicted_.get(),
        correct_.get());
  check(cudaGetLastError(), "the per-sample kernel");
  x_version_ = version;
  offset_changed_ = false;
}

// scratch ← the gradient's residual at x: r = s ⊙ ℓ' (binary) or s ⊙ (P − Y) (softmax), so that
// ∇_x Σ_k s_k ℓ_k = Aᵀ r.
void CudaSampleLoss::residual(const VectorRef& x) const {
  update(x);
  if (softmax())
    cuda_detail::launch_softmax_residual(m_, c_, weights_.get(), prob_.get(), labels_.get(),
                                         scratch_.get());
  else
    cuda_detail::launch_binary_residual(m_, weights_.get(), slope_.get(), scratch_.get());
  check(cudaGetLastError(), "the residual kernel");
}

// scratch ← U = A W, with the terms at x there for the kernels that follow.
void CudaSampleLoss::times_w(const VectorRef& x, const VectorRef& w) const {
  update(x);
  device_->load_w(w);
  times_a(CUBLAS_OP_N, device_->w.get(), scratch_.get());
}

// scratch ← U = A W with the HVP's weights applied, so that the data term's H w = Aᵀ U:
// u ← s ⊙ ℓ'' ⊙ u (binary), U ← s ⊙ P ⊙ (U − rowsum(P ⊙ U)) (softmax).
void CudaSampleLoss::hvp_weights(const VectorRef& x, const VectorRef& w) const {
  times_w(x, w);
  if (softmax())
    cuda_detail::launch_softmax_hvp_weights(m_, c_, weights_.get(), prob_.get(), scratch_.get());
  else
    cuda_detail::launch_binary_hvp_weights(m_, weights_.get(), curvature_.get(), scratch_.get());
  check(cudaGetLastError(), "the HVP weight kernel");
}

// ∇ℓ_kᵀ w from U = A W: ℓ'_k u_k (binary), P_kᵀ U_k − U_{k,y_k} (softmax).
void CudaSampleLoss::sample_gradient_dots(const VectorRef& x, const VectorRef& w,
                                          VectorOut out) const {
  times_w(x, w);
  if (softmax())
    cuda_detail::launch_softmax_gradient_dots(m_, c_, prob_.get(), labels_.get(), scratch_.get(),
                                              dots_.get());
  else
    cuda_detail::launch_binary_gradient_dots(m_, slope_.get(), scratch_.get(), dots_.get());
  check(cudaGetLastError(), "the per-sample gradient kernel");
  download(dots_, m_, out);
}

// out (C) = Rᵀ 1, the column sums of an m × C matrix R on the device (a GEMV with ones).
void CudaSampleLoss::column_sums(const double* r, VectorOut out) const {
  const double one = 1.0, zero = 0.0;
  check(cublasDgemv(device_->cublas.get(), CUBLAS_OP_T, m_, c_, &one, r, m_, ones_.get(), 1, &zero,
                    device_->result.get(), 1),
        "cublasDgemv (column sums)");
  download(device_->result, c_, out);
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
  const int q = static_cast<int>(train.features.cols()) + (spec.bias ? 1 : 0);
  const int logits = spec.kind == LinearKind::softmax ? spec.classes : 1;
  const auto device = std::make_shared<DeviceModel>(q * logits);
  const auto part = [&](const LabelledData& data) {
    return std::make_unique<CudaSampleLoss>(device, data, q, spec.bias, spec.kind, logits);
  };
  return make_linear_problem(spec, part(train), part(validation), part(test));
}

}  // namespace hyperpush::model
