#pragma once
// Backend `cuda`: the linear models of model/linear_problem.hpp (logistic, ridge, softmax) with
// their data resident on a CUDA device, in double precision. Built only when CMake finds the CUDA
// toolkit (target hyperpush_cuda); this header includes no CUDA header (the implementation lives
// in src/cuda/), so including it costs nothing.
//
// The problem is the Eigen reference's (make_linear_problem over sample_loss.hpp): same losses,
// design matrix [features, 1], hyperparameter kinds and their algebra (hyperparameter_kind.hpp: the
// regularizer and J w act on d-vectors on the host), data checks and results; the device supplies
// the data term of each part (the device tests hold the two to 1e-12).
//
// Data movement: each part's design matrix A (column-major m × q: the features as Eigen holds
// them, then the ones; no host copy) and its labels are uploaded once. An oracle call copies x (and
// w, and the sample weights λ/m or logit offsets λ) host→device only when they differ from the last
// ones seen, and returns one d-vector (p-vector, or a scalar) device→host: that is all that crosses
// for MPI. With C logits per sample (1 for logistic and ridge), per distinct x one product Z = A X
// and one fused kernel give, per sample, ℓ and ℓ', ℓ'' (or the softmax probabilities P) and the
// predicted class (kept on the device); then, with s the sample weights and U = A W,
//   ∇L = Aᵀ R,   R = s ⊙ ℓ' or s ⊙ (P − Y)                               (a product, a kernel)
//   ∇²L w = Aᵀ R, R = s ⊙ ℓ'' ⊙ U or s ⊙ P ⊙ (U − rowsum(P ⊙ U))        (2 products, a kernel)
//   L and the accuracy are dot products on the device.
// The products are cuBLAS GEMVs for one logit and GEMMs (m × q · q × C, and its transpose) for C;
// an HVP reads A twice: 2 m q C multiply-adds, 16 m q bytes. Dense Hessians take d HVPs.
//
// Device: local_rank mod the number of devices. No device, or any error while asking the driver,
// makes make_cuda_problem throw (a run asked for the GPU; it does not fall back to the CPU).
//
// Not thread-safe (see local_problem.hpp).
#include <memory>

#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/model/local_problem.hpp"

namespace hyperpush::model {

// Throws hyperpush::Error on the inputs make_linear_problem refuses (with its messages), and on: no
// usable CUDA device, a CUDA or cuBLAS failure (out of device memory, …).
std::unique_ptr<LocalProblem> make_cuda_problem(const LinearSpec& spec, LabelledData train,
                                                LabelledData validation, LabelledData test,
                                                int local_rank = 0);

// The number of CUDA devices this process can use; 0 when there is none or the driver answers with
// an error (no driver, no device, a broken installation).
int cuda_device_count();

}  // namespace hyperpush::model
