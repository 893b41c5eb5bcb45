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
// pivot^2 <= 1e-13 x the largest diagonal) gives NaN for that resample. The columns and the
// response are first equilibrated by powers of two (exact: max |x_a| and max |y| in [1, 2)),
// so this test is the same for x and 1e7 x (and the sums cannot overflow); the results are
// scaled back exactly.
// R^2* = 1 - RSS*/TSS*, RSS* = y'Wy - b*'X'Wy, TSS* centred (sum w y^2 - (sum w y)^2 / sum w)
// when `centred_tss`, else uncentred (sum w y^2).
//
// With a covariance kind other than `none`, each resample also gets its estimated
// covariance of b* (for bootstrap-t intervals), from a second pass over its rows:
//   classical  s*^2 (X'WX)^-1, s*^2 = RSS* / (sum w - p);
//   hc0/hc2/hc3  (X'WX)^-1 [sum_i w_i u_i x_i x_i'] (X'WX)^-1 with u_i = r_i^2, r_i^2 / (1 - h_i),
//              r_i^2 / (1 - h_i)^2, r_i = v_i - x_i'b*, h_i = x_i'(X'WX)^-1 x_i
//              (White 1980; MacKinnon and White 1985); a row with 1 - h_i <= 1e-12 makes
//              the resample's covariance NaN.
#pragma once

#include <cstddef>
#include <cstdint>

namespace computelimits::fit {

// How a resample is drawn (the Python schemes residual_hc2/3 and wild_hc2/3 are these with
// rescaled residuals). The Python registry is computelimits.fit._numpy_twin.KERNEL_SCHEMES.
enum class Scheme : int { pairs = 0, residual = 1, wild_rademacher = 2, wild_mammen = 3, poisson = 4 };

// The covariance estimated per resample; registry computelimits.fit._numpy_twin.COVARIANCE_KINDS.
enum class CovarianceKind : int { none = 0, classical = 1, hc0 = 2, hc2 = 3, hc3 = 4 };

struct BootstrapProblem {
  const double* design = nullptr;     // n x p row-major
  const double* response = nullptr;   // n, used by pairs and poisson
  const double* fitted = nullptr;     // n, used by residual and wild
  const double* residuals = nullptr;  // n, the pool (residual) or the multiplied residuals (wild)
  std::size_t n = 0;
  std::size_t p = 0;
  bool centred_tss = true;
  CovarianceKind covariance = CovarianceKind::none;
};

// Rows of the output: p coefficients and R^2, then (with a covariance kind) the p (p + 1) / 2
// covariance entries C_ac, a <= c, row by row of the upper triangle.
std::size_t bootstrap_statistics(std::size_t p, CovarianceKind covariance) noexcept;

// out is bootstrap_statistics(p, covariance) x n_resamples, row-major (statistic-major).
void bootstrap_ols(const BootstrapProblem& problem, Scheme scheme, std::uint64_t seed,
                   std::uint64_t first_resample, std::size_t n_resamples, long threads,
                   double* out);

}  // namespace computelimits::fit
