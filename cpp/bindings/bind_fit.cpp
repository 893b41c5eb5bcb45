#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "bindings.hpp"
#include "computelimits/common/least_squares.hpp"
#include "computelimits/fit/bootstrap.hpp"
#include "computelimits/fit/ols.hpp"
#include "computelimits/fit/resample_index.hpp"
#include "computelimits/fit/scaling_law.hpp"
#include "computelimits/fit/summary.hpp"

namespace py = pybind11;

namespace computelimits::bindings {
namespace {

using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;

void require_shape(const Array& array, std::size_t rows, std::size_t cols, const char* name) {
  const bool ok = array.ndim() == 2 ? (static_cast<std::size_t>(array.shape(0)) == rows &&
                                        static_cast<std::size_t>(array.shape(1)) == cols)
                                     : (array.ndim() == 1 && cols == 1 &&
                                        static_cast<std::size_t>(array.shape(0)) == rows);
  if (!ok) throw std::invalid_argument(std::string(name) + " has the wrong shape");
}

py::array_t<double> to_numpy(const Eigen::VectorXd& v) {
  py::array_t<double> out(v.size());
  std::copy(v.data(), v.data() + v.size(), out.mutable_data());
  return out;
}

py::array_t<double> to_numpy(const Eigen::MatrixXd& m) {
  py::array_t<double> out({m.rows(), m.cols()});
  for (Eigen::Index a = 0; a < m.rows(); ++a) {
    for (Eigen::Index c = 0; c < m.cols(); ++c) out.mutable_at(a, c) = m(a, c);
  }
  return out;
}

// The shared least-squares core with covariance and leverages; see common/least_squares.hpp.
py::dict ols_qr(const Array& design, const Array& response, const std::optional<Array>& design_low) {
  if (design.ndim() != 2) throw std::invalid_argument("design must be 2-d");
  const auto n = static_cast<std::size_t>(design.shape(0));
  const auto p = static_cast<std::size_t>(design.shape(1));
  require_shape(response, n, 1, "response");
  if (design_low) require_shape(*design_low, n, p, "design_low");
  const Eigen::Map<const common::RowMajorMatrix> x(design.data(), static_cast<Eigen::Index>(n),
                                                   static_cast<Eigen::Index>(p));
  const Eigen::Map<const Eigen::VectorXd> y(response.data(), static_cast<Eigen::Index>(n));
  common::LeastSquaresOptions options;
  options.covariance = true;
  options.leverage = true;
  common::LeastSquaresSolution solution;
  {
    py::gil_scoped_release release;
    solution = common::least_squares_qr(x, y, options, design_low ? design_low->data() : nullptr);
  }
  py::dict out;
  out["coef"] = to_numpy(solution.coef);
  out["resid"] = to_numpy(solution.resid);
  out["scaled_resid"] = to_numpy(solution.scaled_resid);
  out["scaled_rss"] = solution.scaled_rss;
  out["response_exponent"] = solution.response_exponent;
  py::array_t<int> exponents(static_cast<py::ssize_t>(p));
  for (std::size_t j = 0; j < p; ++j) exponents.mutable_at(j) = solution.column_exponents(static_cast<Eigen::Index>(j));
  out["column_exponents"] = exponents;
  out["scaled_covariance"] = to_numpy(solution.scaled_covariance);
  out["covariance_refined"] = solution.covariance_refined;
  out["leverage"] = to_numpy(solution.leverage);
  return out;
}

py::array_t<double> ols_jackknife(const Array& design, const Array& params, const Array& cov_unscaled,
                                  const Array& resid, const Array& leverage, long threads) {
  if (design.ndim() != 2) throw std::invalid_argument("design must be 2-d");
  const auto n = static_cast<std::size_t>(design.shape(0));
  const auto p = static_cast<std::size_t>(design.shape(1));
  require_shape(params, p, 1, "params");
  require_shape(cov_unscaled, p, p, "cov_unscaled");
  require_shape(resid, n, 1, "resid");
  require_shape(leverage, n, 1, "leverage");
  py::array_t<double> out({n, p});
  double* target = out.mutable_data();
  {
    py::gil_scoped_release release;
    fit::ols_jackknife(design.data(), n, p, params.data(), cov_unscaled.data(), resid.data(),
                       leverage.data(), threads, target);
  }
  return out;
}

py::array_t<double> bootstrap_ols(const Array& design, const Array& response, const Array& fitted,
                                  const Array& residuals, fit::Scheme scheme, fit::CovarianceKind covariance,
                                  bool centred_tss, std::uint64_t seed, std::uint64_t first_resample,
                                  std::size_t n_resamples, long threads) {
  if (design.ndim() != 2) throw std::invalid_argument("design must be 2-d");
  fit::BootstrapProblem problem;
  problem.n = static_cast<std::size_t>(design.shape(0));
  problem.p = static_cast<std::size_t>(design.shape(1));
  require_shape(response, problem.n, 1, "response");
  require_shape(fitted, problem.n, 1, "fitted");
  require_shape(residuals, problem.n, 1, "residuals");
  problem.design = design.data();
  problem.response = response.data();
  problem.fitted = fitted.data();
  problem.residuals = residuals.data();
  problem.centred_tss = centred_tss;
  problem.covariance = covariance;
  py::array_t<double> out({fit::bootstrap_statistics(problem.p, covariance), n_resamples});
  double* target = out.mutable_data();
  {
    py::gil_scoped_release release;
    fit::bootstrap_ols(problem, scheme, seed, first_resample, n_resamples, threads, target);
  }
  return out;
}

py::array_t<double> distribution_quantiles(const Array& distribution, const Array& probabilities, long threads) {
  if (distribution.ndim() != 2) throw std::invalid_argument("distribution must be 2-d");
  if (probabilities.ndim() != 2 || probabilities.shape(0) != distribution.shape(0)) {
    throw std::invalid_argument("probabilities must be 2-d with one row per distribution row");
  }
  const auto rows = static_cast<std::size_t>(distribution.shape(0));
  const auto count = static_cast<std::size_t>(distribution.shape(1));
  const auto m = static_cast<std::size_t>(probabilities.shape(1));
  py::array_t<double> out({rows, m});
  double* target = out.mutable_data();
  {
    py::gil_scoped_release release;
    fit::distribution_quantiles(distribution.data(), rows, count, probabilities.data(), m, threads, target);
  }
  return out;
}

py::array_t<double> distribution_standard_errors(const Array& distribution, long threads) {
  if (distribution.ndim() != 2) throw std::invalid_argument("distribution must be 2-d");
  const auto rows = static_cast<std::size_t>(distribution.shape(0));
  py::array_t<double> out(static_cast<py::ssize_t>(rows));
  double* target = out.mutable_data();
  {
    py::gil_scoped_release release;
    fit::distribution_standard_errors(distribution.data(), rows, static_cast<std::size_t>(distribution.shape(1)),
                                      threads, target);
  }
  return out;
}

// Scaling-law fits: the data as three equal-length vectors of logs, the optimizer
// settings as scalars (Python validates them).
fit::ScalingLawData scaling_law_data(const Array& log_params, const Array& log_tokens, const Array& log_loss,
                                     double delta) {
  const auto n = static_cast<std::size_t>(log_loss.size());
  if (log_loss.ndim() != 1 || n == 0) throw std::invalid_argument("log_loss must be a non-empty vector");
  if (n >= fit::kMaxResampleRows) throw std::invalid_argument("too many points for the scaling-law fit");
  require_shape(log_params, n, 1, "log_params");
  require_shape(log_tokens, n, 1, "log_tokens");
  return fit::ScalingLawData{log_params.data(), log_tokens.data(), log_loss.data(), n, delta};
}

common::LbfgsOptions lbfgs_options(std::size_t memory, double ftol, double gtol, std::size_t max_iterations,
                                   std::size_t max_evaluations, std::size_t max_line_search) {
  common::LbfgsOptions options;
  options.memory = memory;
  options.ftol = ftol;
  options.gtol = gtol;
  options.max_iterations = max_iterations;
  options.max_evaluations = max_evaluations;
  options.max_line_search = max_line_search;
  return options;
}

py::list scaling_law_statuses() {
  py::list names;
  for (int k = 0; k < common::kLbfgsStatusCount; ++k) {
    names.append(common::lbfgs_status_name(static_cast<common::LbfgsStatus>(k)));
  }
  return names;
}

py::tuple scaling_law_objective(const Array& log_params, const Array& log_tokens, const Array& log_loss,
                                double delta, const Array& theta) {
  const auto data = scaling_law_data(log_params, log_tokens, log_loss, delta);
  require_shape(theta, fit::kScalingLawParameters, 1, "theta");
  py::array_t<double> gradient(static_cast<py::ssize_t>(fit::kScalingLawParameters));
  const double value = fit::scaling_law_objective(data, theta.data(), gradient.mutable_data());
  return py::make_tuple(value, gradient);
}

py::array_t<double> scaling_law_fit_starts(const Array& log_params, const Array& log_tokens, const Array& log_loss,
                                           double delta, const Array& starts, std::size_t memory, double ftol,
                                           double gtol, std::size_t max_iterations, std::size_t max_evaluations,
                                           std::size_t max_line_search, long threads) {
  const auto data = scaling_law_data(log_params, log_tokens, log_loss, delta);
  if (starts.ndim() != 2 || static_cast<std::size_t>(starts.shape(1)) != fit::kScalingLawParameters) {
    throw std::invalid_argument("starts must have shape (S, 5)");
  }
  const auto count = static_cast<std::size_t>(starts.shape(0));
  const auto options = lbfgs_options(memory, ftol, gtol, max_iterations, max_evaluations, max_line_search);
  py::array_t<double> out({count, fit::kScalingLawRecord});
  double* target = out.mutable_data();
  {
    py::gil_scoped_release release;
    fit::scaling_law_fit_starts(data, starts.data(), count, options, threads, target);
  }
  return out;
}

py::array_t<double> scaling_law_bootstrap(const Array& log_params, const Array& log_tokens, const Array& log_loss,
                                          double delta, const Array& theta0, std::size_t memory, double ftol,
                                          double gtol, std::size_t max_iterations, std::size_t max_evaluations,
                                          std::size_t max_line_search, std::uint64_t seed,
                                          std::uint64_t first_resample, std::size_t count, long threads) {
  const auto data = scaling_law_data(log_params, log_tokens, log_loss, delta);
  require_shape(theta0, fit::kScalingLawParameters, 1, "theta0");
  const auto options = lbfgs_options(memory, ftol, gtol, max_iterations, max_evaluations, max_line_search);
  py::array_t<double> out({count, fit::kScalingLawRecord});
  double* target = out.mutable_data();
  {
    py::gil_scoped_release release;
    fit::scaling_law_bootstrap(data, theta0.data(), options, seed, first_resample, count, threads, target);
  }
  return out;
}

}  // namespace

void bind_fit(py::module_& module) {
  module.def("ols_qr", &ols_qr, py::arg("design"), py::arg("response"), py::arg("design_low") = py::none(),
             "OLS by the shared least-squares core (equilibrated, column-pivoted QR, double-double "
             "refinement): dict of coef, resid, scaled_resid, scaled_rss, response_exponent, "
             "column_exponents, scaled_covariance, covariance_refined, leverage.");
  module.def("ols_jackknife", &ols_jackknife, py::arg("design"), py::arg("params"),
             py::arg("cov_unscaled"), py::arg("resid"), py::arg("leverage"), py::arg("threads"),
             "Leave-one-out coefficients b - (X'X)^-1 x_i r_i / (1 - h_ii), n x p.");
  // The kernel's resampling mechanisms and covariance kinds; the Python registries are
  // computelimits.fit._numpy_twin.KERNEL_SCHEMES and COVARIANCE_KINDS (a test holds them equal).
  py::enum_<fit::Scheme>(module, "Scheme", "How the bootstrap kernel draws a resample.")
      .value("pairs", fit::Scheme::pairs)
      .value("residual", fit::Scheme::residual)
      .value("wild_rademacher", fit::Scheme::wild_rademacher)
      .value("wild_mammen", fit::Scheme::wild_mammen)
      .value("poisson", fit::Scheme::poisson);
  py::enum_<fit::CovarianceKind>(module, "CovarianceKind",
                                 "The covariance of b* estimated per resample (for bootstrap-t intervals).")
      .value("none", fit::CovarianceKind::none)
      .value("classical", fit::CovarianceKind::classical)
      .value("hc0", fit::CovarianceKind::hc0)
      .value("hc2", fit::CovarianceKind::hc2)
      .value("hc3", fit::CovarianceKind::hc3);
  module.def("bootstrap_ols", &bootstrap_ols, py::arg("design"), py::arg("response"), py::arg("fitted"),
             py::arg("residuals"), py::arg("scheme"), py::arg("covariance"), py::arg("centred_tss"), py::arg("seed"),
             py::arg("first_resample"), py::arg("n_resamples"), py::arg("threads"),
             "Bootstrap OLS: a (statistics, n_resamples) array, each coefficient's resamples, R^2's, then with a "
             "covariance kind the p (p + 1) / 2 upper-triangle entries of each resample's covariance.");
  module.def("distribution_quantiles", &distribution_quantiles, py::arg("distribution"), py::arg("probabilities"),
             py::arg("threads"),
             "Row-wise quantiles of a (k, B) distribution at a (k, m) array of probabilities, numpy's "
             "linear rule bit for bit; NaN for a row holding a NaN or a non-finite probability.");
  module.def("distribution_standard_errors", &distribution_standard_errors, py::arg("distribution"),
             py::arg("threads"), "Row-wise standard deviation (ddof=1) of a (k, B) distribution.");
  module.def("scaling_law_statuses", &scaling_law_statuses,
             "Names of the L-BFGS statuses, indexed by the status column of a fit record.");
  module.def("scaling_law_objective", &scaling_law_objective, py::arg("log_params"), py::arg("log_tokens"),
             py::arg("log_loss"), py::arg("delta"), py::arg("theta"),
             "Huber objective of the scaling law L = E + A/N^alpha + B/D^beta at theta = (a, b, e, alpha, beta), "
             "and its gradient: (value, gradient).");
  module.def("scaling_law_fit_starts", &scaling_law_fit_starts, py::arg("log_params"), py::arg("log_tokens"),
             py::arg("log_loss"), py::arg("delta"), py::arg("starts"), py::arg("memory"), py::arg("ftol"),
             py::arg("gtol"), py::arg("max_iterations"), py::arg("max_evaluations"), py::arg("max_line_search"),
             py::arg("threads"),
             "L-BFGS from each start: (S, 9) records a, b, e, alpha, beta, objective, status, iterations, "
             "evaluations.");
  module.def("scaling_law_bootstrap", &scaling_law_bootstrap, py::arg("log_params"), py::arg("log_tokens"),
             py::arg("log_loss"), py::arg("delta"), py::arg("theta0"), py::arg("memory"), py::arg("ftol"),
             py::arg("gtol"), py::arg("max_iterations"), py::arg("max_evaluations"), py::arg("max_line_search"),
             py::arg("seed"), py::arg("first_resample"), py::arg("count"), py::arg("threads"),
             "Pairs-bootstrap refits from theta0 of resamples first_resample .. first_resample + count - 1: "
             "(count, 9) records as scaling_law_fit_starts.");
}

}  // namespace computelimits::bindings
