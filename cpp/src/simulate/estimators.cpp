#include "computelimits/simulate/estimators.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "computelimits/common/cancellation.hpp"

namespace computelimits::simulate {

namespace flop_count {
double gram(double n, double p) { return n * p * (p + 1.0); }
double cholesky(double m) { return m * m * m / 3.0 + m * m / 2.0 + m / 6.0; }
double triangular_solve(double m) { return m * m; }
double householder_qr(double n, double p) { return 2.0 * n * p * p - 2.0 * p * p * p / 3.0; }
double symmetric_eigen(double m) { return 9.0 * m * m * m; }
}  // namespace flop_count

Eigen::VectorXd cholesky_solve(const Eigen::MatrixXd& gram, const Eigen::VectorXd& rhs, const char* what) {
  Eigen::LLT<Eigen::MatrixXd> factor(gram);
  if (factor.info() != Eigen::Success) {
    throw std::domain_error(std::string(what) + ": matrix is not positive definite (rank-deficient design)");
  }
  return factor.solve(rhs);
}

LinearFit ols_qr(const ConstMatrixRef& X, const ConstVectorRef& y) {
  const Eigen::Index n = X.rows(), p = X.cols();
  if (n < p) throw std::invalid_argument("ols_qr needs n >= p, got n=" + std::to_string(n) + " p=" + std::to_string(p));
  // Equilibrate columns to unit norm and factor A P = Q R (column pivoting).
  Eigen::VectorXd scale = X.colwise().norm().transpose();
  for (Eigen::Index j = 0; j < p; ++j) {
    if (scale(j) == 0.0) throw std::domain_error("ols_qr: column " + std::to_string(j) + " of X is zero");
  }
  const Eigen::MatrixXd scaled = X * scale.cwiseInverse().asDiagonal();
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(scaled);
  const Eigen::MatrixXd R = qr.matrixQR().topRows(p).triangularView<Eigen::Upper>();
  for (Eigen::Index j = 0; j < p; ++j) {
    if (!(std::abs(R(j, j)) > std::abs(R(0, 0)) * 1e-15 * static_cast<double>(n))) {
      throw std::domain_error("ols_qr: X is rank deficient");
    }
  }
  const Eigen::MatrixXd Q = qr.householderQ() * Eigen::MatrixXd::Identity(n, p);
  const auto upper = R.triangularView<Eigen::Upper>();
  const auto permutation = qr.colsPermutation();
  const Eigen::VectorXd inverse_scale = scale.cwiseInverse();
  // b = D^-1 P c with A = X D^-1 P; residuals use the original X so that the rounding of
  // A does not perturb the problem being refined.
  Eigen::VectorXd b = inverse_scale.cwiseProduct(permutation * Eigen::VectorXd(upper.solve(Q.transpose() * y)));
  // Iterative refinement of the augmented system [I X; X' 0][r; b] = [y; 0] with residuals
  // accumulated in long double (Bjorck 1967), so large-residual problems also reach full accuracy.
  Eigen::VectorXd r = Eigen::VectorXd::Zero(n), f(n), g(p);
  auto accumulate = [&]() {
    for (Eigen::Index i = 0; i < n; ++i) {
      long double sum = static_cast<long double>(y(i)) - static_cast<long double>(r(i));
      for (Eigen::Index j = 0; j < p; ++j) sum -= static_cast<long double>(X(i, j)) * b(j);
      f(i) = static_cast<double>(sum);
    }
    for (Eigen::Index j = 0; j < p; ++j) {
      long double sum = 0.0L;
      for (Eigen::Index i = 0; i < n; ++i) sum -= static_cast<long double>(X(i, j)) * r(i);
      g(j) = static_cast<double>(sum);
    }
  };
  accumulate();
  r = f;
  constexpr int kRefinements = 4;
  for (int step = 0; step < kRefinements; ++step) {
    accumulate();
    const Eigen::VectorXd g_scaled = permutation.transpose() * Eigen::VectorXd(g.cwiseProduct(inverse_scale));
    const Eigen::VectorXd h = upper.transpose().solve(g_scaled);
    const Eigen::VectorXd projected = Q.transpose() * f - h;
    b += inverse_scale.cwiseProduct(permutation * Eigen::VectorXd(upper.solve(projected)));
    r += f - Q * projected;
  }
  LinearFit fit;
  fit.coef = b;
  const double nd = static_cast<double>(n), pd = static_cast<double>(p);
  // scaling 3np, QR, forming Q (4np^2 - 4p^3/3), Q'y + solve (2np + p^2); per refinement:
  // residuals 4np, R'\g and R\ (2p^2), Q'f and Q(.) (4np) and updates (2n + 2p).
  fit.flops = 3.0 * nd * pd + flop_count::householder_qr(nd, pd) + 4.0 * nd * pd * pd - 4.0 * pd * pd * pd / 3.0 +
              2.0 * nd * pd + pd * pd + 2.0 * nd * pd +
              kRefinements * (8.0 * nd * pd + 2.0 * pd * pd + 2.0 * nd + 2.0 * pd);
  return fit;
}

LinearFit ols_cholesky(const ConstMatrixRef& X, const ConstVectorRef& y) {
  const Eigen::Index n = X.rows(), p = X.cols();
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(p, p);
  gram.selfadjointView<Eigen::Lower>().rankUpdate(X.transpose());  // Cholesky reads the lower triangle
  const Eigen::VectorXd c = X.transpose() * y;
  LinearFit fit;
  fit.coef = cholesky_solve(gram, c, "ols_cholesky: X'X");
  const double nd = static_cast<double>(n), pd = static_cast<double>(p);
  fit.flops = flop_count::gram(nd, pd) + 2.0 * nd * pd + flop_count::cholesky(pd) + 2.0 * flop_count::triangular_solve(pd);
  return fit;
}

LinearFit min_norm(const ConstMatrixRef& X, const ConstVectorRef& y) {
  const Eigen::Index n = X.rows(), p = X.cols();
  Eigen::MatrixXd kernel = Eigen::MatrixXd::Zero(n, n);
  kernel.selfadjointView<Eigen::Lower>().rankUpdate(X);
  const Eigen::VectorXd dual = cholesky_solve(kernel, y, "min_norm: X X'");
  LinearFit fit;
  fit.coef = X.transpose() * dual;
  const double nd = static_cast<double>(n), pd = static_cast<double>(p);
  fit.flops = flop_count::gram(pd, nd) + flop_count::cholesky(nd) + 2.0 * flop_count::triangular_solve(nd) + 2.0 * nd * pd;
  return fit;
}

PathFit ridge_path(const ConstMatrixRef& X, const ConstVectorRef& y, const ConstVectorRef& lambdas) {
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
    const double shift = nd * lambdas(l);
    Eigen::VectorXd filtered(m);
    for (Eigen::Index i = 0; i < m; ++i) {
      const double denominator = values(i) + shift;
      filtered(i) = denominator > cutoff ? projected(i) / denominator : 0.0;
    }
    path.coef.col(l) = primal ? Eigen::VectorXd(vectors * filtered) : Eigen::VectorXd(back * filtered);
    flops += 2.0 * md + 2.0 * md * pd;
    path.flops(l) = flops;
  }
  return path;
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

PathFit lasso_path(const ConstMatrixRef& X, const ConstVectorRef& y, const ConstVectorRef& alphas, double tol,
                   std::int64_t max_sweeps) {
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
    path.kkt(l) = lasso_gram_solve(gram, c, nd, alphas(l), w, tol, max_sweeps, flops, sweeps);
    path.coef.col(l) = w;
    path.flops(l) = flops;
    path.sweeps(l) = static_cast<double>(sweeps);
  }
  return path;
}

}  // namespace computelimits::simulate
