// Bootstrap of OLS coefficients and R^2, threaded over resamples, memory O(n + B).
//
// Resample b draws only from RandomStream(seed, first_resample + b), so results are
// bit-identical for any thread count and blocks of resamples concatenate. No
// resample is ever materialized: each drawn row (or weight) is folded at once into
// the p x p sums X'WX, X'Wy and the scalars sum w, sum w y, sum w y^2.
//
// Schemes (Davison and Hinkley 1997, ch. 6; Wu 1986; Mammen 1993):
//   pairs     n draws i = below(n); row i added with weight 1.
//   poisson   row i weighted by an independent Poisson(1) count (one uniform each).
//   residual  y*_i = fitted_i + e_j, j = below(n), e the (centred) residual pool.
//   wild      y*_i = fitted_i + r_i v_i, v_i from one uniform u: Rademacher
//             v = -1 if u < 1/2 else +1; Mammen v = -(sqrt5-1)/2 with probability
//             (sqrt5+1)/(2 sqrt5), else (sqrt5+1)/2.
// Each resample is solved by Cholesky of X'WX; a numerically singular X'WX (minimum
// pivot^2 <= 1e-13 x the largest diagonal) gives NaN for that resample.
// R^2* = 1 - RSS*/TSS*, RSS* = y'Wy - b*'X'Wy, TSS* centred (sum w y^2 - (sum w y)^2 / sum w)
// when `centred_tss`, else uncentred (sum w y^2).
#pragma once

#include <cstddef>
#include <cstdint>

namespace computelimits::fit {

enum class Scheme : int { pairs = 0, residual = 1, wild_rademacher = 2, wild_mammen = 3, poisson = 4 };

struct BootstrapProblem {
  const double* design = nullptr;     // n x p row-major
  const double* response = nullptr;   // n, used by pairs and poisson
  const double* fitted = nullptr;     // n, used by residual and wild
  const double* residuals = nullptr;  // n, the pool (residual) or the multiplied residuals (wild)
  std::size_t n = 0;
  std::size_t p = 0;
  bool centred_tss = true;
};

// out is (p + 1) x n_resamples, row-major: each coefficient over the resamples, then R^2.
void bootstrap_ols(const BootstrapProblem& problem, Scheme scheme, std::uint64_t seed,
                   std::uint64_t first_resample, std::size_t n_resamples, long threads,
                   double* out);

}  // namespace computelimits::fit
