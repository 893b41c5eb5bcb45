// Ordinary least squares by Householder QR, and its closed-form jackknife.
//
// The design is scaled to unit column norms (D = diag(1/||x_j||)), factorized as
// X D = Q R (Eigen's HouseholderQR), solved by back substitution, and refined once:
// the residual r = y - X b is accumulated in long double and b += D R^-1 Q' r. The
// refinement recovers the digits that a single solve loses on ill-conditioned
// polynomial designs (NIST StRD Filip, Wampler 4-5). (X'X)^-1 = D R^-1 R^-T D,
// leverages h_i = ||(X D R^-1)_i||^2 (Golub and Van Loan, Matrix Computations, 5.3).
#pragma once

#include <Eigen/Dense>
#include <cstddef>

namespace computelimits::fit {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct OlsSolution {
  Eigen::VectorXd params;        // p coefficients
  Eigen::MatrixXd cov_unscaled;  // (X'X)^-1, p x p
  Eigen::VectorXd fitted;        // X b, n
  Eigen::VectorXd resid;         // y - X b, n (long-double accumulated)
  Eigen::VectorXd leverage;      // h_ii, n
  double rss = 0.0;              // sum of squared residuals
};

// Fits y on the n x p row-major design. Throws std::invalid_argument when n < p,
// a column is all zero, or R is numerically singular (rank deficient design).
OlsSolution ols_qr(const double* design, std::size_t n, std::size_t p, const double* response);

// Leave-one-out coefficients in closed form (Cook and Weisberg 1982, eq. 2.2.16):
// b_(i) = b - (X'X)^-1 x_i r_i / (1 - h_ii). out is n x p row-major. O(n p^2).
// Rows with h_ii >= 1 - 1e-12 (the design is singular without row i) are NaN.
void ols_jackknife(const double* design, std::size_t n, std::size_t p, const double* params,
                   const double* cov_unscaled, const double* resid, const double* leverage,
                   long threads, double* out);

}  // namespace computelimits::fit
