// Backend `cuda`: a linear model (logistic, ridge or softmax) as a local bilevel problem with its
// data on a CUDA device (cuda_problem.hpp). The host side: Eigen vectors in and out, cuBLAS
// products with the resident design matrix, the regularizer on d-vectors; the per-sample math runs
// in linear_kernels.cu.
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

// One data part on the device: A = [features, 1] column-major m × q (the features exactly as
// Eigen holds them, then the ones: no host copy, no transpose), the labels, the sample weights
// s (1/m), and what depends on the current x (and λ, for a part with per-class offsets). C is the
// number of logits per sample: 1 for the binary models, the class count for softmax; per-sample
// matrices are column-major m × C.
struct DevicePart {
  DevicePart(const LabelledData& data, int q_in, bool bias, int logits_per_sample, bool softmax,
             bool offsets)
      : m(static_cast<int>(data.features.rows())),
        q(q_in),
        with_offset(offsets),
        a(static_cast<std::size_t>(m) * q),
        labels(m),
        predicted(m),
        weights(m),
        ones(m),
        logits(static_cast<std::size_t>(m) * logits_per_sample),
        prob(softmax ? static_cast<std::size_t>(m) * logits_per_sample : 0),
        loss(m),
        slope(softmax ? 0 : m),
        curvature(softmax ? 0 : m),
        correct(m),
        scratch(static_cast<std::size_t>(m) * logits_per_sample) {
    if (m == 0) return;
    const std::size_t features = static_cast<std::size_t>(data.features.cols()) * m;
    a.upload(data.features.data(), features);
    const Vector one = Vector::Ones(m);
    if (bias) a.upload(one.data(), m, features);
    labels.upload(data.labels.data());
    ones.upload(one.data());
    const Vector uniform = Vector::Constant(m, 1.0 / m);
    weights.upload(uniform.data());
  }

  int m, q;
  bool with_offset;  // the logits are Z + 1 λᵀ (per-class)
  DeviceBuffer<double> a;
  DeviceBuffer<int> labels, predicted;
  mutable DeviceBuffer<double> weights;  // s: 1/m, or λ/m for per-sample weights (training)
  DeviceBuffer<double> ones;
  DeviceBuffer<double> logits, prob, loss, slope, curvature, correct;  // at the current x
  DeviceBuffer<double> scratch;  // m × C: residuals, A W and the HVP's weights
  // The x and λ versions the per-sample terms belong to (0: none).
  mutable std::uint64_t x_version = 0, lambda_version = 0;
};

class CudaLinearProblem final : public LocalProblem {
 public:
  CudaLinearProblem(const LinearSpec& spec, const LabelledData& train,
                    const LabelledData& validation, const LabelledData& test)
      : kind_(spec.kind),
        hyper_(spec.hyper),
        l2_(spec.l2),
        initial_log_decay_(spec.initial_log_decay),
        q_(static_cast<int>(train.features.cols()) + (spec.bias ? 1 : 0)),
        classes_(spec.kind == LinearKind::softmax ? spec.classes : 1),
        d_(q_ * classes_),
        train_(train, q_, spec.bias, classes_, softmax(), per_class()),
        validation_(validation, q_, spec.bias, classes_, softmax(), per_class()),
        test_(test, q_, spec.bias, classes_, softmax(), per_class()),
        x_(d_),
        w_(d_),
        result_(d_),
        dots_(hyper_ == HyperKind::per_sample ? train_.m : 0),
        offset_(per_class() ? classes_ : 0) {
    host_x_.resize(d_);
    host_w_.resize(d_);
  }

  int dim() const override { return d_; }
  int hyper_dim() const override {
    switch (hyper_) {
      case HyperKind::l2:
        return 1;
      case HyperKind::per_feature:
        return d_;
      case HyperKind::per_sample:
        return train_.m;
      case HyperKind::per_class:
        return classes_;
    }
    return 0;
  }

  double inner_loss(const VectorRef& x, const VectorRef& lambda) const override {
    load_lambda(lambda);
    update(train_, x);
    // Σ_k s_k ℓ_k + ½ (e^λ + l2) ‖x‖², ½ Σ_j (e^{λ_j} + l2) x_j² or ½ l2 ‖x‖²
    const double data = dot(train_, train_.weights, train_.loss);
    if (hyper_ == HyperKind::l2) return data + 0.5 * (std::exp(lambda[0]) + l2_) * x.squaredNorm();
    if (hyper_ != HyperKind::per_feature) return data + 0.5 * l2_ * x.squaredNorm();
    const Vector decay = lambda.array().exp() + l2_;
    return data + 0.5 * decay.dot(x.cwiseAbs2());
  }

  void inner_gradient(const VectorRef& x, const VectorRef& lambda, VectorOut out) const override {
    load_lambda(lambda);
    data_gradient(train_, x, out);  // Aᵀ r
    add_decay_times(lambda, x, out);
  }

  void hessian_vector(const VectorRef& x, const VectorRef& lambda, const VectorRef& w,
                      VectorOut out) const override {
    // H w = Aᵀ (weights ⊙ A W) + D(λ) w: two cuBLAS products over the resident A and one kernel;
    // w and the result are the only transfers (x is loaded already when HGP repeats it).
    load_lambda(lambda);
    hvp_weights(x, w);
    times_a(train_, CUBLAS_OP_T, train_.scratch.get(), result_.get());  // Aᵀ U
    download(result_, d_, out);
    add_decay_times(lambda, w, out);
  }

  void cross_vector(const VectorRef& x, const VectorRef& lambda, const VectorRef& w,
                    VectorOut out) const override {
    if (hyper_ == HyperKind::l2) {  // ∂/∂λ (e^λ + l2) xᵀw = e^λ xᵀw
      out[0] = std::exp(lambda[0]) * x.dot(w);
    } else if (hyper_ == HyperKind::per_feature) {  // e^λ ⊙ x ⊙ w
      out = (lambda.array().exp() * x.array() * w.array()).matrix();
    } else if (hyper_ == HyperKind::per_class) {  // (1/m) Σ_k R_k = Uᵀ 1 after the HVP's weights
      load_lambda(lambda);
      hvp_weights(x, w);
      column_sums(train_, train_.scratch.get(), out);
    } else {  // per-sample: ∂/∂λ_k (λ_k/m) ∇ℓ_kᵀ w = ∇ℓ_kᵀ w / m, from U = A W
      update(train_, x);
      load_w(w);
      times_a(train_, CUBLAS_OP_N, w_.get(), train_.scratch.get());
      if (softmax())
        cuda_detail::launch_softmax_gradient_dots(train_.m, classes_, train_.prob.get(),
                                                  train_.labels.get(), train_.scratch.get(),
                                                  dots_.get());
      else
        cuda_detail::launch_binary_gradient_dots(train_.m, train_.slope.get(), train_.scratch.get(),
                                                 dots_.get());
      check(cudaGetLastError(), "the per-sample gradient kernel");
      download(dots_, train_.m, out);
    }
  }

  double outer_loss(const VectorRef& x, const VectorRef& lambda) const override {
    if (validation_.m == 0) return 0.0;
    load_lambda(lambda);
    update(validation_, x);
    return dot(validation_, validation_.weights, validation_.loss);
  }
  void outer_gradient_x(const VectorRef& x, const VectorRef& lambda, VectorOut out) const override {
    if (validation_.m == 0) {
      out.setZero();
      return;
    }
    load_lambda(lambda);
    data_gradient(validation_, x, out);
  }
  void outer_gradient_lambda(const VectorRef& x, const VectorRef& lambda,
                             VectorOut out) const override {
    if (hyper_ != HyperKind::per_class || validation_.m == 0) {
      out.setZero();  // only per-class offsets put λ in f
      return;
    }
    // (1/m_val) Σ_k (P_k − Y_k): the column sums of the gradient's residual
    load_lambda(lambda);
    residual(validation_, x);
    column_sums(validation_, validation_.scratch.get(), out);
  }

  double test_metric(const VectorRef& x, const VectorRef& lambda) const override {
    if (test_.m == 0) return std::numeric_limits<double>::quiet_NaN();
    load_lambda(lambda);
    update(test_, x);
    return dot(test_, test_.correct, test_.ones) / test_.m;  // an exact count, then one division
  }

  Eigen::VectorXi predict(const VectorRef& x, const VectorRef& lambda, Part part) const override {
    const DevicePart& p = part == Part::train ? train_ : test_;
    if (p.m == 0) return {};
    load_lambda(lambda);
    update(p, x);
    Eigen::VectorXi predicted(p.m);
    p.predicted.download(predicted.data());
    return predicted;
  }

  Vector initial_lambda() const override {
    if (hyper_ == HyperKind::per_sample) return Vector::Ones(train_.m);
    if (hyper_ == HyperKind::per_class) return Vector::Zero(classes_);
    return Vector::Constant(hyper_dim(), initial_log_decay_);
  }

 private:
  bool softmax() const { return kind_ == LinearKind::softmax; }
  bool per_class() const { return hyper_ == HyperKind::per_class; }

  // out = A V (m × C, V q × C) for op N, or Aᵀ V (q × C, V m × C) for op T; column-major, as x.
  // A GEMV for one logit, else a GEMM.
  void times_a(const DevicePart& part, cublasOperation_t op, const double* v, double* out) const {
    const double one = 1.0, zero = 0.0;
    const bool transposed = op == CUBLAS_OP_T;
    if (classes_ == 1) {
      check(cublasDgemv(cublas_.get(), op, part.m, part.q, &one, part.a.get(), part.m, v, 1, &zero,
                        out, 1),
            transposed ? "cublasDgemv (Aᵀ r)" : "cublasDgemv (A v)");
      return;
    }
    const int rows = transposed ? part.q : part.m, inner = transposed ? part.m : part.q;
    check(cublasDgemm(cublas_.get(), op, CUBLAS_OP_N, rows, classes_, inner, &one, part.a.get(),
                      part.m, v, inner, &zero, out, rows),
          transposed ? "cublasDgemm (Aᵀ R)" : "cublasDgemm (A V)");
  }

  // Loads x (one host→device copy when it changed) and the part's per-sample terms at x (and
  // the loaded λ, for per-class offsets): the logits Z = A X, then ℓ, its derivatives (or P), the
  // predictions.
  void update(const DevicePart& part, const VectorRef& x) const {
    if (!x_loaded_ || x != host_x_) {
      host_x_ = x;
      x_.upload(host_x_.data());
      x_loaded_ = true;
      ++x_version_;
    }
    if (part.m == 0) return;
    if (part.x_version != x_version_) {
      times_a(part, CUBLAS_OP_N, x_.get(), part.logits.get());
    } else if (!part.with_offset || part.lambda_version == lambda_version_) {
      return;  // Z and every term at (x, λ) are there
    }
    if (softmax())
      cuda_detail::launch_softmax_terms(part.m, classes_, part.logits.get(),
                                        part.with_offset ? offset_.get() : nullptr,
                                        part.labels.get(), part.prob.get(), part.loss.get(),
                                        part.predicted.get(), part.correct.get());
    else
      cuda_detail::launch_binary_terms(
          kind_ == LinearKind::ridge ? BinaryLoss::ridge : BinaryLoss::logistic, part.m,
          part.logits.get(), part.labels.get(), part.loss.get(), part.slope.get(),
          part.curvature.get(), part.predicted.get(), part.correct.get());
    check(cudaGetLastError(), "the per-sample kernel");
    part.x_version = x_version_;
    part.lambda_version = lambda_version_;
  }

  // The λ the device needs, uploaded when it changed: per-sample weights (the training part's
  // s = λ/m, m doubles) or per-class logit offsets (C doubles); nothing for the decays, which act
  // on the host.
  void load_lambda(const VectorRef& lambda) const {
    if (hyper_ != HyperKind::per_sample && hyper_ != HyperKind::per_class) return;
    if (lambda_version_ > 0 && lambda == host_lambda_) return;
    host_lambda_ = lambda;
    if (per_class()) {
      offset_.upload(host_lambda_.data());
    } else {
      const Vector s = lambda / train_.m;
      train_.weights.upload(s.data());
    }
    ++lambda_version_;
  }

  void load_w(const VectorRef& w) const {
    if (w_loaded_ && w == host_w_) return;
    host_w_ = w;
    w_.upload(host_w_.data());
    w_loaded_ = true;
  }

  // Σ_k u_k v_k over the part's m samples (on the device; the scalar comes back).
  double dot(const DevicePart& part, const DeviceBuffer<double>& u,
             const DeviceBuffer<double>& v) const {
    double sum = 0;
    check(cublasDdot(cublas_.get(), part.m, u.get(), 1, v.get(), 1, &sum), "cublasDdot");
    return sum;
  }

  // The part's scratch ← the gradient's residual at x: r = s ⊙ ℓ' (binary) or s ⊙ (P − Y)
  // (softmax), so that ∇_x Σ_k s_k ℓ_k = Aᵀ r.
  void residual(const DevicePart& part, const VectorRef& x) const {
    update(part, x);
    if (softmax())
      cuda_detail::launch_softmax_residual(part.m, classes_, part.weights.get(), part.prob.get(),
                                           part.labels.get(), part.scratch.get());
    else
      cuda_detail::launch_binary_residual(part.m, part.weights.get(), part.slope.get(),
                                          part.scratch.get());
    check(cudaGetLastError(), "the residual kernel");
  }

  // out = ∇_x Σ_k s_k ℓ_k = Aᵀ r.
  void data_gradient(const DevicePart& part, const VectorRef& x, VectorOut out) const {
    residual(part, x);
    times_a(part, CUBLAS_OP_T, part.scratch.get(), result_.get());
    download(result_, d_, out);
  }

  // The training part's scratch ← U = A W with the HVP's weights applied, so that the data term's
  // H w = Aᵀ U: u ← s ⊙ ℓ'' ⊙ u (binary), U ← s ⊙ P ⊙ (U − rowsum(P ⊙ U)) (softmax). λ loaded.
  void hvp_weights(const VectorRef& x, const VectorRef& w) const {
    update(train_, x);
    load_w(w);
    times_a(train_, CUBLAS_OP_N, w_.get(), train_.scratch.get());  // U = A W
    if (softmax())
      cuda_detail::launch_softmax_hvp_weights(train_.m, classes_, train_.weights.get(),
                                              train_.prob.get(), train_.scratch.get());
    else
      cuda_detail::launch_binary_hvp_weights(train_.m, train_.weights.get(), train_.curvature.get(),
                                             train_.scratch.get());
    check(cudaGetLastError(), "the HVP weight kernel");
  }

  // out (C) = Rᵀ 1, the column sums of an m × C matrix R on the device (a GEMV with ones).
  void column_sums(const DevicePart& part, const double* r, VectorOut out) const {
    const double one = 1.0, zero = 0.0;
    check(cublasDgemv(cublas_.get(), CUBLAS_OP_T, part.m, classes_, &one, r, part.m,
                      part.ones.get(), 1, &zero, result_.get(), 1),
          "cublasDgemv (column sums)");
    download(result_, classes_, out);
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

  // out += D(λ) v: (e^λ + l2) v, (e^λ + l2) ⊙ v per feature, l2 v for per-sample weights and
  // per-class offsets.
  void add_decay_times(const VectorRef& lambda, const VectorRef& v, VectorOut out) const {
    if (hyper_ == HyperKind::l2)
      out += (std::exp(lambda[0]) + l2_) * v;
    else if (hyper_ == HyperKind::per_feature)
      out += ((lambda.array().exp() + l2_) * v.array()).matrix();
    else
      out += l2_ * v;
  }

  LinearKind kind_;
  HyperKind hyper_;
  double l2_;
  double initial_log_decay_;
  int q_, classes_, d_;  // d = q C
  CublasHandle cublas_;
  DevicePart train_, validation_, test_;
  mutable DeviceBuffer<double> x_, w_, result_;   // d each: the loaded x and w, the last result
  mutable DeviceBuffer<double> dots_;             // m: the per-sample cross product
  mutable DeviceBuffer<double> offset_;           // C: the per-class logit offsets λ
  mutable Vector host_x_, host_w_, host_lambda_;  // host copies of what is loaded
  mutable bool x_loaded_ = false, w_loaded_ = false;
  mutable std::uint64_t x_version_ = 0, lambda_version_ = 0;  // 0: none loaded yet
};

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
  return std::make_unique<CudaLinearProblem>(spec, train, validation, test);
}

}  // namespace hyperpush::model
