#include "computelimits/common/least_squares.hpp"

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace computelimits::common {
namespace {

constexpr double kRankTolerance = 1e-13;
constexpr double kRefineCovarianceAbove = 1e4;  // condition estimate |R_00 / R_pp|
constexpr double kDotFlops = 10.0;              // one double-double multiply-add

// Accumulator of Dot2 (Ogita, Rump and Oishi 2005): hi carries the running sum, lo the
// exactly computed errors of each product and each addition, summed in double.
struct Dot2 {
  double hi = 0.0;
  double lo = 0.0;

  void add(double value) noexcept {
    const double sum = hi + value;
    const double virtual_value = sum - hi;
    lo += (hi - (sum - virtual_value)) + (value - virtual_value);  // TwoSum's error
    hi = sum;
  }
  void add_product(double a, double b) noexcept {
    const double product = a * b;
    const double error = std::fma(a, b, -product);  // a b - product, exactly
    add(product);
    lo += error;
  }
  double value() const noexcept { return hi + lo; }
};

std::string describe(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

struct Problem {
  RowMajorMatrix design;     // A = X D (row-major, for the row-wise defects)
  RowMajorMatrix low;        // A_lo = X_lo D (empty without a low part)
  Eigen::VectorXd response;  // y 2^-e_y
  Eigen::Index n = 0, p = 0;
  bool has_low = false;
  double flops = 0.0;
};

struct Factor {
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr;
  Eigen::MatrixXd upper;  // R (p x p)
};

// f = rhs_f - r - A b (n), with rhs_f = 0 when null.
void residual_defect(Problem& problem, const Eigen::VectorXd* rhs_f, const Eigen::VectorXd& r,
                     const Eigen::VectorXd& b, Eigen::VectorXd& f) {
  const Eigen::Index n = problem.n, p = problem.p;
  f.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    Dot2 sum;
    if (rhs_f != nullptr) sum.hi = (*rhs_f)(i);
    sum.add(-r(i));
    const double* row = problem.design.data() + i * p;
    for (Eigen::Index j = 0; j < p; ++j) sum.add_product(-row[j], b(j));
    if (problem.has_low) {
      const double* low = problem.low.data() + i * p;
      for (Eigen::Index j = 0; j < p; ++j) sum.lo = std::fma(-low[j], b(j), sum.lo);
    }
    f(i) = sum.value();
  }
  const double nd = static_cast<double>(n), pd = static_cast<double>(p);
  problem.flops += nd * (kDotFlops * pd + 8.0) + (problem.has_low ? 2.0 * nd * pd : 0.0);
}

// g = rhs_g - A'r (p), with rhs_g = 0 when null.
void normal_defect(Problem& problem, const Eigen::VectorXd* rhs_g, const Eigen::VectorXd& r, Eigen::VectorXd& g) {
  const Eigen::Index n = problem.n, p = problem.p;
  std::vector<Dot2> sums(static_cast<std::size_t>(p));
  if (rhs_g != nullptr) {
    for (Eigen::Index j = 0; j < p; ++j) sums[static_cast<std::size_t>(j)].hi = (*rhs_g)(j);
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    const double* row = problem.design.data() + i * p;
    const double minus_r = -r(i);
    for (Eigen::Index j = 0; j < p; ++j) sums[static_cast<std::size_t>(j)].add_product(row[j], minus_r);
    if (problem.has_low) {
      const double* low = problem.low.data() + i * p;
      for (Eigen::Index j = 0; j < p; ++j) {
        Dot2& sum = sums[static_cast<std::size_t>(j)];
        sum.lo = std::fma(low[j], minus_r, sum.lo);
      }
    }
  }
  g.resize(p);
  for (Eigen::Index j = 0; j < p; ++j) g(j) = sums[static_cast<std::size_t>(j)].value();
  const double nd = static_cast<double>(n), pd = static_cast<double>(p);
  problem.flops += pd * (kDotFlops * nd + 1.0) + (problem.has_low ? 2.0 * nd * pd : 0.0);
}

// Refines (r, b) towards the solution of [I A; A' 0][r; b] = [rhs_f; rhs_g].
void refine(Problem& problem, const Factor& factor, const Eigen::VectorXd* rhs_f, const Eigen::VectorXd* rhs_g,
            int steps, Eigen::VectorXd& r, Eigen::VectorXd& b) {
  const Eigen::Index n = problem.n, p = problem.p;
  const auto upper = factor.upper.triangularView<Eigen::Upper>();
  const auto& permutation = factor.qr.colsPermutation();
  Eigen::VectorXd f, g;
  for (int step = 0; step < steps; ++step) {
    residual_defect(problem, rhs_f, r, b, f);
    normal_defect(problem, rhs_g, r, g);
    const Eigen::VectorXd u = upper.transpose().solve(Eigen::VectorXd(permutation.transpose() * g));
    Eigen::VectorXd d = factor.qr.householderQ().adjoint() * f;
    const Eigen::VectorXd step_b = permutation * Eigen::VectorXd(upper.solve(Eigen::VectorXd(d.head(p) - u)));
    d.head(p) = u;
    r += factor.qr.householderQ() * d;
    b += step_b;
    const double nd = static_cast<double>(n), pd = static_cast<double>(p);
    problem.flops += 2.0 * (4.0 * nd * pd - 2.0 * pd * pd) + 2.0 * pd * pd + 2.0 * nd + 3.0 * pd;
  }
}

void check_finite(const double* values, Eigen::Index rows, Eigen::Index cols, Eigen::Index stride, const char* name) {
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) {
      const double value = values[i * stride + j];
      if (!std::isfinite(value)) {
        throw std::invalid_argument(std::string(name) + " must be finite, got " + describe(value) + " at row " +
                                    std::to_string(i) + ", column " + std::to_string(j));
      }
    }
  }
}

}  // namespace

int binary_exponent(double value) noexcept {
  if (value == 0.0 || !std::isfinite(value)) return 0;
  int exponent = 0;
  (void)std::frexp(value, &exponent);
  return exponent;
}

int max_abs_exponent(const double* values, std::size_t count, std::size_t stride) noexcept {
  double largest = 0.0;
  for (std::size_t i = 0; i < count; ++i) largest = std::fmax(largest, std::fabs(values[i * stride]));
  return binary_exponent(largest);
}

LeastSquaresSolution least_squares_qr(const Eigen::Ref<const RowMajorMatrix>& design,
                                      const Eigen::Ref<const Eigen::VectorXd>& response,
                                      const LeastSquaresOptions& options, const double* design_low) {
  const Eigen::Index n = design.rows(), p = design.cols();
  if (p < 1) throw std::invalid_argument("design must have at least one column, got 0");
  if (n < p) {
    throw std::invalid_argument("design needs at least as many rows as columns, got n = " + std::to_string(n) +
                                " < p = " + std::to_string(p));
  }
  if (response.size() != n) {
    throw std::invalid_argument("response must have one value per design row (" + std::to_string(n) + "), got " +
                                std::to_string(response.size()));
  }
  if (options.refinements < 0) throw std::invalid_argument("refinements must be >= 0");
  check_finite(design.data(), n, p, design.outerStride(), "design");
  check_finite(response.data(), n, 1, 1, "response");
  if (design_low != nullptr) check_finite(design_low, n, p, p, "design_low");

  const double nd = static_cast<double>(n), pd = static_cast<double>(p);
  Problem problem;
  problem.n = n;
  problem.p = p;
  problem.has_low = design_low != nullptr;
  LeastSquaresSolution out;
  // Powers of two: 2-norms of the columns in [1/2, 1), max |y| in [1/2, 1). All exact.
  out.column_exponents.resize(p);
  problem.design.resize(n, p);
  for (Eigen::Index j = 0; j < p; ++j) {
    const double largest_value = design.col(j).cwiseAbs().maxCoeff();
    if (!(largest_value > 0.0)) throw std::invalid_argument("design column " + std::to_string(j) + " is all zero");
    const int largest = binary_exponent(largest_value);
    double squares = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double value = std::ldexp(design(i, j), -largest);
      squares += value * value;
    }
    const int exponent = largest + binary_exponent(std::sqrt(squares));
    out.column_exponents(j) = exponent;
    for (Eigen::Index i = 0; i < n; ++i) problem.design(i, j) = std::ldexp(design(i, j), -exponent);
  }
  if (problem.has_low) {
    problem.low = Eigen::Map<const RowMajorMatrix>(design_low, n, p);
    for (Eigen::Index j = 0; j < p; ++j) {
      for (Eigen::Index i = 0; i < n; ++i) problem.low(i, j) = std::ldexp(problem.low(i, j), -out.column_exponents(j));
    }
  }
  out.response_exponent = max_abs_exponent(response.data(), static_cast<std::size_t>(n));
  problem.response.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) problem.response(i) = std::ldexp(response(i), -out.response_exponent);
  problem.flops = 3.0 * nd * pd + 2.0 * nd;

  Factor factor{Eigen::ColPivHouseholderQR<Eigen::MatrixXd>(Eigen::MatrixXd(problem.design)), Eigen::MatrixXd()};
  factor.upper = factor.qr.matrixQR().topRows(p).triangularView<Eigen::Upper>();
  const double leading = std::fabs(factor.upper(0, 0));
  for (Eigen::Index k = 0; k < p; ++k) {
    if (!(std::fabs(factor.upper(k, k)) > kRankTolerance * leading)) {
      throw std::invalid_argument("design is rank deficient (|R_kk| <= 1e-13 |R_00| in the pivoted QR of the "
                                  "equilibrated columns: collinear columns, e.g. a constant x)");
    }
  }
  problem.flops += 2.0 * nd * pd * pd - 2.0 * pd * pd * pd / 3.0;
  const Eigen::MatrixXd& upper_matrix = factor.upper;
  const auto upper = upper_matrix.triangularView<Eigen::Upper>();
  const auto& permutation = factor.qr.colsPermutation();

  Eigen::VectorXd qty = factor.qr.householderQ().adjoint() * problem.response;
  Eigen::VectorXd b = permutation * Eigen::VectorXd(upper.solve(Eigen::VectorXd(qty.head(p))));
  problem.flops += 4.0 * nd * pd - 2.0 * pd * pd + pd * pd;
  Eigen::VectorXd r;
  residual_defect(problem, &problem.response, Eigen::VectorXd::Zero(n), b, r);
  refine(problem, factor, &problem.response, nullptr, options.refinements, r, b);
  residual_defect(problem, &problem.response, Eigen::VectorXd::Zero(n), b, out.scaled_resid);

  Dot2 rss;
  for (Eigen::Index i = 0; i < n; ++i) rss.add_product(out.scaled_resid(i), out.scaled_resid(i));
  out.scaled_rss = rss.value();
  problem.flops += kDotFlops * nd + 1.0;

  out.coef.resize(p);
  for (Eigen::Index j = 0; j < p; ++j) {
    const int shift = out.response_exponent - out.column_exponents(j);
    const double value = std::ldexp(b(j), shift);
    if (!std::isfinite(value)) {
      throw std::overflow_error("coefficient " + std::to_string(j) + " (about 2^" +
                                std::to_string(binary_exponent(b(j)) + shift) +
                                ") overflows float64: rescale the design or the response");
    }
    if (b(j) != 0.0 && std::fabs(value) < DBL_MIN) {
      throw std::range_error("coefficient " + std::to_string(j) + " (about 2^" +
                             std::to_string(binary_exponent(b(j)) + shift) +
                             ") is below float64's normal range: rescale the design or the response");
    }
    out.coef(j) = value;
  }
  out.resid.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) out.resid(i) = std::ldexp(out.scaled_resid(i), out.response_exponent);

  if (options.covariance) {
    // C = (A'A)^-1 = P R^-1 R^-T P'; column j is -c for [I A; A' 0][r; c] = [0; e_j].
    const Eigen::MatrixXd inverse = upper.solve(Eigen::MatrixXd::Identity(p, p));
    Eigen::MatrixXd covariance = permutation * (inverse * inverse.transpose()) * permutation.transpose();
    problem.flops += pd * pd * pd;
    const double condition = leading / std::fabs(factor.upper(p - 1, p - 1));
    if (condition > kRefineCovarianceAbove && options.refinements > 0) {
      const Eigen::MatrixXd thin_q = factor.qr.householderQ() * Eigen::MatrixXd::Identity(n, p);
      for (Eigen::Index j = 0; j < p; ++j) {
        Eigen::VectorXd unit = Eigen::VectorXd::Zero(p);
        unit(j) = 1.0;
        Eigen::VectorXd c = -covariance.col(j);
        Eigen::VectorXd residual = thin_q * upper.transpose().solve(Eigen::VectorXd(permutation.transpose() * unit));
        refine(problem, factor, nullptr, &unit, options.refinements, residual, c);
        covariance.col(j) = -c;
      }
      covariance = 0.5 * (covariance + covariance.transpose()).eval();
      out.covariance_refined = true;
      problem.flops += 4.0 * nd * pd * pd - 4.0 * pd * pd * pd / 3.0 + pd * (2.0 * nd * pd + pd * pd);
    }
    out.scaled_covariance = covariance;
  }
  if (options.leverage) {
    const Eigen::MatrixXd thin_q = factor.qr.householderQ() * Eigen::MatrixXd::Identity(n, p);
    out.leverage = thin_q.rowwise().squaredNorm();
    problem.flops += 4.0 * nd * pd * pd - 4.0 * pd * pd * pd / 3.0 + 2.0 * nd * pd;
  }
  out.flops = options.count_flops ? problem.flops : 0.0;
  return out;
}

}  // namespace computelimits::common
