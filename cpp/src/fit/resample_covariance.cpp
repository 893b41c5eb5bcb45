#include "computelimits/fit/resample_covariance.hpp"

#include <cmath>
#include <limits>

namespace computelimits::fit {
namespace {

constexpr double kLeverageTolerance = 1e-12;

void write_upper(const Eigen::MatrixXd& covariance, double* out) {
  const Eigen::Index p = covariance.rows();
  for (Eigen::Index a = 0; a < p; ++a) {
    for (Eigen::Index c = a; c < p; ++c) *out++ = covariance(a, c);
  }
}

void write_nan(Eigen::Index p, double* out) {
  for (Eigen::Index k = 0; k < p * (p + 1) / 2; ++k) out[k] = std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

Eigen::ArrayXd row_leverages(const Columns& columns, const Eigen::LLT<Eigen::MatrixXd>& cholesky) {
  const auto p = static_cast<Eigen::Index>(columns.size());
  const Eigen::Index n = p == 0 ? 0 : columns[0].size();
  Eigen::ArrayXd leverage(n);
  Eigen::VectorXd row(p);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index a = 0; a < p; ++a) row(a) = columns[static_cast<std::size_t>(a)](i);
    const Eigen::VectorXd half = cholesky.matrixL().solve(row);  // L^-1 x_i: h_i = ||L^-1 x_i||^2
    leverage(i) = half.squaredNorm();
  }
  return leverage;
}

void resample_covariance(const ResampleFit& fit, CovarianceKind kind, CovarianceWorkspace& work, double* out) {
  const Columns& columns = *fit.columns;
  const auto p = static_cast<Eigen::Index>(columns.size());
  const Eigen::Index n = columns[0].size();
  work.inverse.setIdentity(p, p);
  fit.cholesky->solveInPlace(work.inverse);
  switch (kind) {
    case CovarianceKind::none:
      return;
    case CovarianceKind::classical: {
      const double freedom = fit.weight - static_cast<double>(p);
      if (!(freedom > 0.0)) return write_nan(p, out);
      work.product.noalias() = work.inverse * (std::fmax(fit.rss, 0.0) / freedom);
      write_upper(work.product, out);
      return;
    }
    case CovarianceKind::hc0:
    case CovarianceKind::hc2:
    case CovarianceKind::hc3:
      break;
  }
  const double* b = fit.coefficients;
  const double* w = fit.weights;
  const double* v = fit.values;
  const Eigen::MatrixXd& inverse = work.inverse;
  Eigen::MatrixXd& meat = work.meat;  // sum_i w_i u_i x_i x_i' (lower triangle)
  Eigen::VectorXd& row = work.row;
  meat.setZero(p, p);
  row.resize(p);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double weight = w == nullptr ? 1.0 : w[i];
    if (weight == 0.0) continue;
    double fitted = 0.0;
    for (Eigen::Index a = 0; a < p; ++a) {
      row(a) = columns[static_cast<std::size_t>(a)](i);
      fitted += row(a) * b[a];
    }
    const double residual = v[i] - fitted;
    double factor = residual * residual;
    if (kind != CovarianceKind::hc0) {
      double leverage = 0.0;
      if (fit.leverage != nullptr) {
        leverage = fit.leverage[i];
      } else {
        for (Eigen::Index a = 0; a < p; ++a) {
          for (Eigen::Index c = 0; c < p; ++c) leverage += row(a) * inverse(a, c) * row(c);
        }
      }
      const double complement = 1.0 - leverage;
      if (!(complement > kLeverageTolerance)) return write_nan(p, out);
      factor /= kind == CovarianceKind::hc2 ? complement : complement * complement;
    }
    const double scale = weight * factor;
    for (Eigen::Index a = 0; a < p; ++a) {
      for (Eigen::Index c = 0; c <= a; ++c) meat(a, c) += scale * row(a) * row(c);
    }
  }
  meat.triangularView<Eigen::StrictlyUpper>() = meat.transpose();
  work.product.noalias() = meat * inverse;
  meat.noalias() = inverse * work.product;
  write_upper(meat, out);
}

}  // namespace computelimits::fit
