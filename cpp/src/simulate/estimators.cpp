#include "computelimits/simulate/estimators.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "computelimits/common/cancellation.hpp"
#include "computelimits/common/least_squares.hpp"

namespace computelimits::simulate {

namespace flop_count {
double gram(double n, double p) { return n * p * (p + 1.0); }
double cholesky(double m) { return m * m * m / 3.0 + m * m / 2.0 + m / 6.0; }
double triangular_solve(double m) { return m * m; }
double symmetric_eigen(double m) { return 9.0 * m * m * m; }
}  // namespace flop_count

namespace {

// Beyond 2^256 (or below 2^-256) in magnitude, squares and Gram matrices of the data can leave
// float64's range; inside it they cannot (n <= 2^31), and the data are used as given.
constexpr int kSafeExponent = 256;

void check_finite(const ConstMatrixRef& X, const ConstVectorRef& y, const char* what) {
  if (!X.allFinite()) throw std::invalid_argument(std::string(what) + ": X must contain only finite values");
  if (!y.allFinite()) throw std::invalid_argument(std::string(what) + ": y must contain only finite values");
}

int magnitude_exponent(const ConstMatrixRef& X) {
  return X.size() == 0 ? 0 : common::binary_exponent(X.cwiseAbs().maxCoeff());
}

int magnitude_exponent(const ConstVectorRef& y) {
  return y.size() == 0 ? 0 : common::binary_exponent(y.cwiseAbs().maxCoeff());
}

// Calls fit(X', y', e_x, e_y) with X' = X 2^-e_x and y' = y 2^-e_y (exact: powers of two) when
// the data's magnitudes are extreme, else with X and y themselves (e_x = e_y = 0). Scaling
// by a power of two commutes exactly with every operation below, so the two calls agree bit
// for bit wherever the unscaled one stays in range; min_norm, ridge, lasso and OLS
// coefficients scale as 2^(e_y - e_x).
template <class Fit>
auto with_scaled_data(const ConstMatrixRef& X, const ConstVectorRef& y, const char* what, Fit fit) {
  check_finite(X, y, what);
  const int x_exponent = magnitude_exponent(X), y_exponent = magnitude_exponent(y);
  if (std::abs(x_exponent) <= kSafeExponent && std::abs(y_exponent) <= kSafeExponent) return fit(X, y, 0, 0);
  const RowMatrix scaled_x = X.unaryExpr([&](double v) { return std::ldexp(v, -x_exponent); });
  const Eigen::VectorXd scaled_y = y.unaryExpr([&](double v) { return std::ldexp(v, -y_exponent); });
  return fit(ConstMatrixRef(scaled_x), ConstVectorRef(scaled_y), x_exponent, y_exponent);
}

// coef 2^shift; a coefficient beyond float64's range raises instead of becoming inf or 0.
void unscale(Eigen::Ref<Eigen::VectorXd> coef, int shift, const char* what) {
  if (shift == 0) return;
  for (Eigen::Index j = 0; j < coef.size(); ++j) {
    const double value = std::ldexp(coef(j), shift);
    if (!std::isfinite(value) || (coef(j) != 0.0 && std::fabs(value) < std::numeric_limits<double>::min())) {
      throw std::overflow_error(std::string(what) + ": coefficient " + std::to_string(j) + " (about 2^" +
                                std::to_string(common::binary_exponent(coef(j)) + shift) +
                                ") is outside float64's range; rescale X or y");
    }
    coef(j) = value;
  }
}

}  // namespace

Eigen::VectorXd cholesky_solve(const Eigen::MatrixXd& gram, const Eigen::VectorXd& rhs, const char* what) {
  Eigen::LLT<Eigen::MatrixXd> factor(gram);
  if (factor.info() != Eigen::Success) {
    throw std::domain_error(std::string(what) + ": matrix is not positive definite (rank-deficient design)");
  }
  return factor.solve(rhs);
}

LinearFit ols_qr(const ConstMatrixRef& X, const ConstVectorRef& y) {
  common::LeastSquaresOptions options;
  options.count_flops = true;
  const common::LeastSquaresSolution solution = common::least_squares_qr(X, y, options);
  LinearFit fit;
  fit.coef = solution.coef;
  fit.flops = solution.flops;
  return fit;
}

LinearFit ols_cholesky(const ConstMatrixRef& X_in, const ConstVectorRef& y_in) {
  return with_scaled_data(X_in, y_in, "ols_cholesky",
                          [](const ConstMatrixRef& X, const ConstVectorRef& y, int x_exponent, int y_exponent) {
                            const Eigen::Index n = X.rows(), p = X.cols();
                            Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(p, p);
                            // Cholesky reads the lower triangle
                            gram.selfadjointView<Eigen::Lower>().rankUpdate(X.transpose());
                            const Eigen::VectorXd c = X.transpose() * y;
                            LinearFit fit;
                            fit.coef = cholesky_solve(gram, c, "ols_cholesky: X'X");
                            unscale(fit.coef, y_exponent - x_exponent, "ols_cholesky");
                            const double nd = static_cast<double>(n), pd = static_cast<double>(p);
                            fit.flops = flop_count::gram(nd, pd) + 2.0 * nd * pd + flop_count::cholesky(pd) +
                                        2.0 * flop_count::triangular_solve(pd);
                            return fit;
                          });
}

LinearFit min_norm(const ConstMatrixRef& X_in, const ConstVectorRef& y_in) {
  return with_scaled_data(X_in, y_in, "min_norm",
                          [](const ConstMatrixRef& X, const ConstVectorRef& y, int x_exponent, int y_exponent) {
                            const Eigen::Index n = X.rows(), p = X.cols();
                            Eigen::MatrixXd kernel = Eigen::MatrixXd::Zero(n, n);
                            kernel.selfadjointView<Eigen::Lower>().rankUpdate(X);
                            const Eigen::VectorXd dual = cholesky_solve(kernel, y, "min_norm: X X'");
                            LinearFit fit;
                            fit.coef = X.transpose() * dual;
                            unscale(fit.coef, y_exponent - x_exponent, "min_norm");
                            const double nd = static_cast<double>(n), pd = static_cast<double>(p);
                            fit.flops = flop_count::gram(pd, nd) + flop_count::cholesky(nd) +
                                        2.0 * flop_count::triangular_solve(nd) + 2.0 * nd * pd;
                            return fit;
                          });
}

PathFit ridge_path(const ConstMatrixRef& X_in, const ConstVectorRef& y_in, const ConstVectorRef& lambdas) {
  if (!lambdas.allFinite() || (lambdas.array() < 0.0).any()) {
    throw std::invalid_argument("ridge_path: lambdas must be finite and >= 0");
  }
  return with_scaled_data(X_in, y_in, "ridge_path", [&](const ConstMatrixRef& X, const ConstVectorRef& y,
                                                        int x_exponent, int y_exponent) {
    const Eigen::Index n = X.rows(), p = X.cols(), count = lambdas.size();
    const double nd = static_cast<double>(n), pd = static_cast<double>(p);
    PathFit path;
    path.coef.resize(p, count);
    path.flops.resize(count);
    path.kkt = Eigen::VectorXd::Zero(count);
    path.sweeps = Eigen::VectorXd::Zero(count);
    const bool primal = p <= n;
    const Eigen::Index m = primal ? p : n;
    Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(m, m);
    if (primal) {
      gram.selfadjointView<Eigen::Lower>().rankUpdate(X.transpose());
    } else {
      gram.selfadjointView<Eigen::Lower>().rankUpdate(X);
    }
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(gram);  // reads the lower triangle
    const Eigen::VectorXd& values = eigen.eigenvalues();
    const Eigen::MatrixXd& vectors = eigen.eigenvectors();
    const double md = static_cast<double>(m);
    double flops = (primal ? flop_count::gram(nd, pd) : flop_count::gram(pd, nd)) + flop_count::symmetric_eigen(md);
    Eigen::VectorXd projected;
    Eigen::MatrixXd back;  // maps spectral coefficients to coefficients
    if (primal) {
      projected = vectors.transpose() * (X.transpose() * y);
      flops += 2.0 * nd * pd + 2.0 * pd * pd;
    } else {
      projected = vectors.transpose() * y;
      back = X.transpose() * vectors;
      flops += 2.0 * nd * nd + 2.0 * nd * nd * pd;
    }
    const double cutoff = std::max(values.maxCoeff(), 0.0) * md * 1e-13;
    for (Eigen::Index l = 0; l < count; ++l) {
      // X'X + n lambda I = 2^(2 e_x) (S'S + n lambda 2^(-2 e_x) I), S = X 2^-e_x
      const double shift = std::ldexp(nd * lambdas(l), -2 * x_exponent);
      Eigen::VectorXd filtered(m);
      for (Eigen::Index i = 0; i < m; ++i) {
        const double denominator = values(i) + shift;
        filtered(i) = denominator > cutoff ? projected(i) / denominator : 0.0;
      }
      path.coef.col(l) = primal ? Eigen::VectorXd(vectors * filtered) : Eigen::VectorXd(back * filtered);
      flops += 2.0 * md + 2.0 * md * pd;
      path.flops(l) = flops;
    }
    for (Eigen::Index l = 0; l < count; ++l) unscale(path.coef.col(l), y_exponent - x_exponent, "ridge_path");
    return path;
  });
}

double lasso_gram_solve(const Eigen::MatrixXd& gram, const Eigen::VectorXd& c, double n, double alpha,
                        Eigen::VectorXd& w, double tol, std::int64_t max_sweeps, double& flops,
                        std::int64_t& sweeps) {
  const Eigen::Index p = gram.rows();
  const double pd = static_cast<double>(p);
  const double threshold = n * alpha;
  Eigen::VectorXd gram_w = Eigen::VectorXd::Zero(p);
  // Column j of the symmetric matrix from its lower triangle (row j left of the diagonal is strided).
  auto full_column = [&](Eigen::Index j, double* out) {
    for (Eigen::Index l = 0; l < j; ++l) out[l] = gram(j, l);
    for (Eigen::Index l = j; l < p; ++l) out[l] = gram(l, j);
  };
  std::vector<Eigen::Index> active;
  Eigen::MatrixXd columns;  // full columns of the active coordinates, contiguous
  auto kkt_residual = [&]() {
    double worst = 0.0;
    for (Eigen::Index j = 0; j < p; ++j) {
      const double gradient = (c(j) - gram_w(j)) / n;
      const double violation = w(j) != 0.0 ? std::abs(gradient - std::copysign(alpha, w(j)))
                                            : std::max(std::abs(gradient) - alpha, 0.0);
      worst = std::max(worst, violation);
    }
    flops += 4.0 * pd;
    return worst;
  };
  {  // Gram w for the warm start
    Eigen::VectorXd column(p);
    for (Eigen::Index j = 0; j < p; ++j) {
      if (w(j) != 0.0) {
        full_column(j, column.data());
        gram_w.noalias() += w(j) * column;
        flops += 2.0 * pd;
      }
    }
  }
  double kkt = kkt_residual();
  while (kkt > tol && sweeps < max_sweeps) {
    active.clear();
    for (Eigen::Index j = 0; j < p; ++j) {
      if (w(j) != 0.0 || std::abs(c(j) - gram_w(j)) > threshold) active.push_back(j);
    }
    flops += 2.0 * pd;
    const Eigen::Index count = static_cast<Eigen::Index>(active.size());
    columns.resize(p, count);
    for (Eigen::Index t = 0; t < count; ++t) full_column(active[static_cast<std::size_t>(t)], columns.col(t).data());
    double largest_change = 0.0;
    do {
      common::throw_if_cancelled();
      largest_change = 0.0;
      for (Eigen::Index t = 0; t < count; ++t) {
        const Eigen::Index j = active[static_cast<std::size_t>(t)];
        const double diagonal = gram(j, j);
        if (!(diagonal > 0.0)) continue;
        const double z = c(j) - gram_w(j) + diagonal * w(j);
        const double magnitude = std::abs(z) - threshold;
        const double updated = magnitude > 0.0 ? std::copysign(magnitude, z) / diagonal : 0.0;
        const double delta = updated - w(j);
        flops += 6.0;
        if (delta != 0.0) {
          gram_w.noalias() += delta * columns.col(t);
          w(j) = updated;
          flops += 2.0 * pd;
          largest_change = std::max(largest_change, std::abs(delta) * diagonal / n);
        }
      }
      ++sweeps;
    } while (largest_change > 0.1 * tol && sweeps < max_sweeps);
    // Recompute Gram w exactly (the nonzeros are all active) before checking the KKT conditions.
    gram_w.setZero();
    for (Eigen::Index t = 0; t < count; ++t) {
      const double value = w(active[static_cast<std::size_t>(t)]);
      if (value != 0.0) {
        gram_w.noalias() += value * columns.col(t);
        flops += 2.0 * pd;
      }
    }
    kkt = kkt_residual();
  }
  return kkt;
}

PathFit lasso_path(const ConstMatrixRef& X_in, const ConstVectorRef& y_in, const ConstVectorRef& alphas, double tol,
                   std::int64_t max_sweeps) {
  if (!alphas.allFinite() || (alphas.array() < 0.0).any()) {
    throw std::invalid_argument("lasso_path: alphas must be finite and >= 0");
  }
  // (1/2n)||y - X w||^2 + alpha ||w||_1 with X = 2^e_x X', y = 2^e_y y' is 2^(2 e_y) times the
  // problem in (X', y') with alpha' = alpha 2^-(e_x + e_y), for w' = w 2^(e_x - e_y); gradients
  // (the KKT residual and tol) scale as 2^(e_x + e_y).
  return with_scaled_data(X_in, y_in, "lasso_path", [&](const ConstMatrixRef& X, const ConstVectorRef& y,
                                                        int x_exponent, int y_exponent) {
    const int gradient_exponent = x_exponent + y_exponent;
    const Eigen::Index n = X.rows(), p = X.cols(), count = alphas.size();
    const double nd = static_cast<double>(n), pd = static_cast<double>(p);
    Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(p, p);
    gram.selfadjointView<Eigen::Lower>().rankUpdate(X.transpose());
    const Eigen::VectorXd c = X.transpose() * y;
    double flops = flop_count::gram(nd, pd) + 2.0 * nd * pd;
    PathFit path;
    path.coef.resize(p, count);
    path.flops.resize(count);
    path.kkt.resize(count);
    path.sweeps.resize(count);
    Eigen::VectorXd w = Eigen::VectorXd::Zero(p);
    for (Eigen::Index l = 0; l < count; ++l) {
      std::int64_t sweeps = 0;
      path.kkt(l) = std::ldexp(lasso_gram_solve(gram, c, nd, std::ldexp(alphas(l), -gradient_exponent), w,
                                                std::ldexp(tol, -gradient_exponent), max_sweeps, flops, sweeps),
                               gradient_exponent);
      path.coef.col(l) = w;
      path.flops(l) = flops;
      path.sweeps(l) = static_cast<double>(sweeps);
    }
    for (Eigen::Index l = 0; l < count; ++l) unscale(path.coef.col(l), y_exponent - x_exponent, "lasso_path");
    return path;
  });
}

}  // namespace computelimits::simulate
