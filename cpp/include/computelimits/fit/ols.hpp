// The closed-form jackknife of an OLS fit. The fit itself is the shared least-squares core,
// computelimits/common/least_squares.hpp (QR with refinement; simulate uses it too).
#pragma once

#include <cstddef>

namespace computelimits::fit {

// Leave-one-out coefficients in closed form (Cook and Weisberg 1982, eq. 2.2.16):
// b_(i) = b - (X'X)^-1 x_i r_i / (1 - h_ii). out is n x p row-major. O(n p^2).
// Rows with h_ii >= 1 - 1e-12 (the design is singular without row i) are NaN.
void ols_jackknife(const double* design, std::size_t n, std::size_t p, const double* params,
                   const double* cov_unscaled, const double* resid, const double* leverage,
                   long threads, double* out);

}  // namespace computelimits::fit
