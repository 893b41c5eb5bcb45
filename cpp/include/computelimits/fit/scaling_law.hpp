// Parametric scaling-law fits L(N, D) = E + A / N^alpha + B / D^beta (Hoffmann et al.
// 2022, "Training Compute-Optimal Large Language Models", Approach 3; Besiroglu et al.
// 2024, "Chinchilla Scaling: A replication attempt").
//
// With theta = (a, b, e, alpha, beta), A = e^a, B = e^b, E = e^e, the objective is
//   f(theta) = sum_i H_delta(log L_i - LSE(a - alpha log N_i, b - beta log D_i, e)),
// H_delta(r) = r^2 / 2 for |r| <= delta, delta (|r| - delta / 2) otherwise (Huber 1964),
// LSE the log-sum-exp, evaluated as m + log(sum exp(u_k - m)) with m = max u_k. With
// w_k = exp(u_k - LSE) and psi = H'(r) = clamp(r, -delta, delta), the gradient is
//   df/da = -sum psi w_1, df/db = -sum psi w_2, df/de = -sum psi w_3,
//   df/dalpha = sum psi w_1 log N_i, df/dbeta = sum psi w_2 log D_i.
// Each start (and each bootstrap resample) is minimized by L-BFGS (common/lbfgs.hpp)
// on its own inputs only, so results are bit-identical for any thread count.
// Cancellation: the kernels check the caller's token (common/cancellation.hpp) before
// every start, every resample and every objective evaluation, and stop by throwing
// common::Cancelled.
#pragma once

#include <cstddef>
#include <cstdint>

#include "computelimits/common/lbfgs.hpp"

namespace computelimits::fit {

inline constexpr std::size_t kScalingLawParameters = 5;
// Columns of a fit record: a, b, e, alpha, beta, objective, status, iterations, evaluations.
inline constexpr std::size_t kScalingLawRecord = 9;

struct ScalingLawData {
  const double* log_params = nullptr;  // log N_i
  const double* log_tokens = nullptr;  // log D_i
  const double* log_loss = nullptr;    // log L_i
  std::size_t n = 0;
  double delta = 1e-3;
};

// f(theta); writes the gradient to `gradient` (5 values) when it is not null.
double scaling_law_objective(const ScalingLawData& data, const double* theta, double* gradient);

// Minimizes from each of the `count` starts (count x 5, row-major) and writes one
// record per start (count x kScalingLawRecord) to `out`.
void scaling_law_fit_starts(const ScalingLawData& data, const double* starts, std::size_t count,
                            const common::LbfgsOptions& options, long threads, double* out);

// Pairs bootstrap: resample b (b = first_resample .. first_resample + count - 1) takes
// n rows by fit::resample_indices from the stream key (seed, b) and is minimized from
// `theta0`; one record per resample (count x kScalingLawRecord) in `out`.
void scaling_law_bootstrap(const ScalingLawData& data, const double* theta0, const common::LbfgsOptions& options,
                           std::uint64_t seed, std::uint64_t first_resample, std::size_t count, long threads,
                           double* out);

}  // namespace computelimits::fit
