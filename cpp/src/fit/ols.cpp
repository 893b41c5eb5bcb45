#include "computelimits/fit/ols.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "computelimits/common/parallel.hpp"

namespace computelimits::fit {
namespace {

// r = y - X b with long-double accumulation of each row's dot product.
Eigen::VectorXd exact_residuals(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                const Eigen::VectorXd& b) {
  const Eigen::Index n = x.rows();
  const Eigen::Index p = x.cols();
  Eigen::VectorXd r(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    long double sum = static_cast<long double>(y(i));
    for (Eigen::Index j = 0; j < p; ++j) {
      sum -= static_cast<long double>(x(i, j)) * static_cast<long double>(b(j));
    }
    r(i) = static_cast<double>(sum);
  }
  return r;
}

}  // namespace

OlsSolution ols_qr(const double* design, std::size_t n, std::size_t p, const double* response) {
  if (p == 0) throw std::invalid_argument("design must have at least one column");
  if (n < p) {
    throw std::invalid_argument("need at least as many observations as parameters, got n = " +
                                std::to_string(n) + " < p = " + std::to_string(p));
  }
  const auto rows = static_cast<Eigen::Index>(n);
  const auto cols = static_cast<Eigen::Index>(p);
  const Eigen::MatrixXd x = Eigen::Map<const RowMatrix>(design, rows, cols);
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(response, rows);

  Eigen::VectorXd scale(cols);
  for (Eigen::Index j = 0; j < cols; ++j) {
    const double norm = x.col(j).norm();
    if (!(norm > 0.0) || !std::isfinite(norm)) {
      throw std::invalid_argument("design column " + std::to_string(j) +
                                  " is all zero or not finite");
    }
    scale(j) = 1.0 / norm;
  }
  const Eigen::MatrixXd scaled = x * scale.asDiagonal();
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(scaled);
  const Eigen::MatrixXd r_full = qr.matrixQR().topRows(cols).triangularView<Eigen::Upper>();
  const Eigen::VectorXd diagonal = r_full.diagonal().cwiseAbs();
  if (!(diagonal.minCoeff() > 1e-13 * diagonal.maxCoeff())) {
    throw std::invalid_argument("design is rank deficient (collinear columns, e.g. a constant x)");
  }
  const auto r_upper = r_full.triangularView<Eigen::Upper>();
  const Eigen::Index rows_cols = cols;
  // Björck's refinement of the augmented system [I X; X' 0][r; b] = [y; 0]: the
  // defects f = y - r - X b and g = -X' r are accumulated in long double, the
  // correction solved with the same QR (Björck, Numerical Methods for Least Squares
  // Problems, 1996, sec. 2.9). It corrects b and r together, so large-residual
  // problems (Wampler 5) refine as well as small-residual ones.
  const auto q = qr.householderQ();
  OlsSolution out;
  {
    Eigen::VectorXd qty = q.transpose() * y;
    out.params = scale.asDiagonal() * Eigen::VectorXd(r_upper.solve(qty.head(rows_cols)));
  }
  Eigen::VectorXd resid = exact_residuals(x, y, out.params);
  for (int iteration = 0; iteration < 4; ++iteration) {
    Eigen::VectorXd f(rows);
    for (Eigen::Index i = 0; i < rows; ++i) {
      long double sum = static_cast<long double>(y(i)) - static_cast<long double>(resid(i));
      for (Eigen::Index j = 0; j < cols; ++j) {
        sum -= static_cast<long double>(x(i, j)) * static_cast<long double>(out.params(j));
      }
      f(i) = static_cast<double>(sum);
    }
    Eigen::VectorXd g_scaled(cols);
    for (Eigen::Index j = 0; j < cols; ++j) {
      long double sum = 0.0L;
      for (Eigen::Index i = 0; i < rows; ++i) {
        sum -= static_cast<long double>(x(i, j)) * static_cast<long double>(resid(i));
      }
      g_scaled(j) = static_cast<double>(sum) * scale(j);
    }
    Eigen::VectorXd qtf = q.transpose() * f;
    const Eigen::VectorXd d1 = r_upper.transpose().solve(g_scaled);
    const Eigen::VectorXd dc = r_upper.solve(qtf.head(rows_cols) - d1);
    qtf.head(rows_cols) = d1;
    resid += q * qtf;
    out.params += scale.asDiagonal() * dc;
  }
  out.resid = exact_residuals(x, y, out.params);
  out.fitted = y - out.resid;

  const Eigen::MatrixXd r_inverse =
      r_upper.solve(Eigen::MatrixXd::Identity(cols, cols));  // upper triangular
  const Eigen::MatrixXd scaled_inverse = scale.asDiagonal() * r_inverse;  // D R^-1
  out.cov_unscaled = scaled_inverse * scaled_inverse.transpose();
  const Eigen::MatrixXd z = scaled * r_inverse;  // X D R^-1: orthonormal columns
  out.leverage = z.rowwise().squaredNorm();

  long double rss = 0.0L;
  for (Eigen::Index i = 0; i < rows; ++i) {
    rss += static_cast<long double>(out.resid(i)) * static_cast<long double>(out.resid(i));
  }
  out.rss = static_cast<double>(rss);
  return out;
}

void ols_jackknife(const double* design, std::size_t n, std::size_t p, const double* params,
                   const double* cov_unscaled, const double* resid, const double* leverage,
                   long threads, double* out) {
  common::parallel_for(0, n, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t i = begin; i < end; ++i) {
      const double* row = design + i * p;
      double* target = out + i * p;
      const double denominator = 1.0 - leverage[i];
      if (!(denominator > 1e-12)) {
        for (std::size_t a = 0; a < p; ++a) target[a] = std::numeric_limits<double>::quiet_NaN();
        continue;
      }
      const double factor = resid[i] / denominator;
      for (std::size_t a = 0; a < p; ++a) {
        double dot = 0.0;
        for (std::size_t c = 0; c < p; ++c) dot += cov_unscaled[a * p + c] * row[c];
        target[a] = params[a] - dot * factor;
      }
    }
  });
}

}  // namespace computelimits::fit
