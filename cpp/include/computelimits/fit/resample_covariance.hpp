// The estimated covariance of one bootstrap resample's OLS coefficients, for bootstrap-t
// (studentized) intervals: classical, or heteroskedasticity-consistent (White 1980; HC2 and
// HC3 of MacKinnon and White 1985).
#pragma once

#include <Eigen/Dense>

#include "computelimits/fit/bootstrap.hpp"
#include "computelimits/fit/resample_sums.hpp"

namespace computelimits::fit {

// A resample: rows i with weights w_i (null: all 1) and values v_i (y, or y* for the
// fixed-design schemes), its Cholesky factor of G = X'WX, its solution b and RSS.
struct ResampleFit {
  const Columns* columns = nullptr;
  const double* weights = nullptr;  // n, or null for all 1
  const double* values = nullptr;   // n
  const Eigen::LLT<Eigen::MatrixXd>* cholesky = nullptr;
  const double* coefficients = nullptr;  // b, p values
  double rss = 0.0;
  double weight = 0.0;              // sum w
  const double* leverage = nullptr;  // fixed designs: h_i of X'X (n), else null (computed per row)
};

// h_i = x_i' G^-1 x_i for every row (the fixed designs' leverages, computed once).
Eigen::ArrayXd row_leverages(const Columns& columns, const Eigen::LLT<Eigen::MatrixXd>& cholesky);

// Work space of resample_covariance, reused across resamples (no allocation per resample).
struct CovarianceWorkspace {
  Eigen::MatrixXd inverse, meat, product;
  Eigen::VectorXd row;
};

// Writes the p (p + 1) / 2 entries C_ac, a <= c, of the resample's covariance of kind `kind`
// (not none) to `out`, row by row of the upper triangle; NaN when undefined (sum w <= p for
// classical, a row with 1 - h_i <= 1e-12 for HC2/HC3).
void resample_covariance(const ResampleFit& fit, CovarianceKind kind, CovarianceWorkspace& work, double* out);

}  // namespace computelimits::fit
