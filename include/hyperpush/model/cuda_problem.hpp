#pragma once
// Backend `cuda`: the binary linear models of linear_problem.hpp (logistic, ridge) with their data
// resident on a CUDA device, in double precision. Built only when CMake finds the CUDA toolkit
// (target hyperpush_cuda); this header includes no CUDA header (the implementation lives in
// src/cuda/), so including it costs nothing.
//
// Same losses, design matrix [features, 1], data checks and results as the Eigen reference (the
// device tests hold the two to 1e-12). Hyperparameter kinds: l2 and per-feature (their regularizer
// acts on d-vectors, applied on the host); per-sample weights are refused.
//
// Data movement: each part's design matrix A (m × q, row-major = cuBLAS's column-major Aᵀ) and its
// labels are uploaded once. An oracle call copies x (and w) host→device only when they differ from
// the last ones seen, and returns one d-vector (or a scalar) device→host: that is all that crosses
// for MPI. Per distinct x, one GEMV z = A x and one fused kernel give ℓ, ℓ', ℓ'' and the
// correct-prediction flags of every sample (kept on the device); then
//   ∇g = (1/m) Aᵀ ℓ'  (one GEMV),   H w = (1/m) Aᵀ (ℓ'' ⊙ A w) + D(λ) w  (two GEMVs + one kernel),
//   g and the accuracy are dot products with a vector of ones on the device.
//
// Device: local_rank mod the number of devices. No device, or any error while asking the driver,
// makes make_cuda_problem throw (a run asked for the GPU; it does not fall back to the CPU).
//
// Not thread-safe (see local_problem.hpp).
#include <memory>

#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/model/local_problem.hpp"

namespace hyperpush::model {

// Throws hyperpush::Error on the inputs make_linear_problem refuses, and on: softmax, per-sample
// weights, no usable CUDA device, a CUDA or cuBLAS failure (out of device memory, …).
std::unique_ptr<LocalProblem> make_cuda_problem(const LinearSpec& spec, LabelledData train,
                                                LabelledData validation, LabelledData test,
                                                int local_rank = 0);

// The number of CUDA devices this process can use; 0 when there is none or the driver answers with
// an error (no driver, no device, a broken installation).
int cuda_device_count();

}  // namespace hyperpush::model
