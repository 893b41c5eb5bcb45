// Least squares by column-pivoted Householder QR with iterative refinement: the one OLS
// routine of the package (fit.ols and simulate.estimators.ols call it).
//
// 1. Equilibration by powers of two (exact): column j is multiplied by 2^-e_j so that its
//    2-norm lies in [1/2, 1), y by 2^-e_y so that max |y| lies in [1/2, 1). The exponents come
//    from the largest magnitude first and the norm of the column divided by it, so no square
//    overflows or underflows (LAPACK dnrm2's idea). A = X D, D = diag(2^-e_j), is exact.
// 2. A P = Q R (Eigen's ColPivHouseholderQR). Rank deficient when |R_kk| <= 1e-13 |R_00|.
// 3. b = P R^-1 Q'y, then `refinements` steps of Bjorck's refinement of the augmented system
//    [I A; A' 0][r; b] = [y; 0] (Bjorck 1967; Numerical Methods for Least Squares Problems,
//    1996, sec. 2.9): the defects f = y - r - A b and g = -A'r are accumulated in double-double
//    arithmetic (products split exactly by fma, sums by TwoSum: Ogita, Rump and Oishi's Dot2,
//    SIAM J. Sci. Comput. 2005), then u = R^-T P'g, d = Q'f, b += P R^-1 (d_1 - u),
//    r += Q [u; d_2]. Each step multiplies the error by about cond(A) u, so 4 steps reach the
//    solution of the data as given, rounded to double, whenever cond(A) < ~1e13.
// 4. An optional low-order part of the design (X = X_hi + X_lo exactly, e.g. powers formed in
//    double-double) enters only the defects: the factorization of X_hi then serves as the
//    preconditioner and the refinement converges to the solution for X_hi + X_lo.
// 5. Optionally (X'X)^-1 = D P R^-1 R^-T P' D, returned in scaled form, refined column by
//    column through the same augmented system with right-hand side [0; e_j] when the
//    condition estimate |R_00 / R_pp| exceeds 1e4; and the leverages h_ii = ||(Q_1)_i||^2.
//
// FLOPs (when counted; one multiply, add, divide or square root = 1 FLOP; a double-double
// multiply-add = 10: two for the exact product, six for TwoSum, two for the error term):
//   equilibration 3np + 2n; QR 2np^2 - 2p^3/3; Q'y 4np - 2p^2; R\ p^2; initial residual
//   n(10p + 8); per refinement: f n(10p + 8), g p(10n + 1), Q'f and Q[u; d] 2(4np - 2p^2),
//   two triangular solves 2p^2, updates 2n + 3p; with a low part 2np more per defect pass.
#pragma once

#include <Eigen/Dense>
#include <cstddef>

namespace computelimits::common {

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct LeastSquaresOptions {
  int refinements = 4;
  bool covariance = false;   // scaled (X'X)^-1
  bool leverage = false;     // h_ii
  bool count_flops = false;  // fill LeastSquaresSolution::flops
};

// Everything that can leave float64's range is returned in scaled form: with e_y and e_j the
// exponents above, r = 2^e_y r_s, RSS = 2^(2 e_y) scaled_rss, (X'X)^-1_jk = 2^-(e_j + e_k) C_jk.
struct LeastSquaresSolution {
  Eigen::VectorXd coef;               // b (finite; std::overflow_error otherwise)
  Eigen::VectorXd resid;              // y - X b
  Eigen::VectorXd scaled_resid;       // r_s = 2^-e_y (y - X b)
  double scaled_rss = 0.0;            // sum r_s^2 (double-double accumulated)
  int response_exponent = 0;          // e_y
  Eigen::VectorXi column_exponents;   // e_j
  Eigen::MatrixXd scaled_covariance;  // C (p x p) if requested
  Eigen::VectorXd leverage;           // h_ii if requested
  bool covariance_refined = false;    // whether C went through the refinement of step 5
  double flops = 0.0;                 // if requested
};

// n x p design (any row stride), response of length n, optional low part (n x p, row-major,
// contiguous). Throws std::invalid_argument for n < p, p = 0, a non-finite entry, an all-zero
// column or a rank-deficient design (each message names the argument), and
// std::overflow_error when a coefficient is beyond float64's range.
LeastSquaresSolution least_squares_qr(const Eigen::Ref<const RowMajorMatrix>& design,
                                      const Eigen::Ref<const Eigen::VectorXd>& response,
                                      const LeastSquaresOptions& options, const double* design_low = nullptr);

// The exponent e with |value| 2^-e in [1/2, 1) (std::frexp's); 0 for 0.
int binary_exponent(double value) noexcept;

// The exponent e of the largest |v_i| (0 for an all-zero v): v 2^-e lies in (-1, 1).
int max_abs_exponent(const double* values, std::size_t count, std::size_t stride = 1) noexcept;

}  // namespace computelimits::common
