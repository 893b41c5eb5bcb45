#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "computelimits/simulate/design.hpp"
#include "computelimits/simulate/estimators.hpp"
#include "computelimits/simulate/experiments.hpp"

namespace py = pybind11;

namespace computelimits::bindings {
namespace {

using simulate::RowMatrix;
using Matrix = py::array_t<double, py::array::c_style | py::array::forcecast>;
using MatrixMap = Eigen::Map<const RowMatrix>;
using VectorMap = Eigen::Map<const Eigen::VectorXd>;

MatrixMap as_matrix(const Matrix& array, const char* name) {
  if (array.ndim() != 2) throw std::invalid_argument(std::string(name) + " must be 2-D");
  return MatrixMap(array.data(), array.shape(0), array.shape(1));
}

VectorMap as_vector(const Matrix& array, const char* name) {
  if (array.ndim() != 1) throw std::invalid_argument(std::string(name) + " must be 1-D");
  return VectorMap(array.data(), array.shape(0));
}

py::array_t<double> to_numpy(const Eigen::VectorXd& v) {
  py::array_t<double> out(v.size());
  std::copy(v.data(), v.data() + v.size(), out.mutable_data());
  return out;
}

py::array_t<double> to_numpy(const Eigen::MatrixXd& m) {
  py::array_t<double> out({m.rows(), m.cols()});
  Eigen::Map<RowMatrix>(out.mutable_data(), m.rows(), m.cols()) = m;
  return out;
}

simulate::DesignSpec make_spec(std::int64_t n, std::int64_t p, std::int64_t k, simulate::Covariance covariance,
                               double rho, double signal, double sigma) {
  simulate::DesignSpec spec;
  spec.n = n;
  spec.p = p;
  spec.k = k;
  spec.covariance = covariance;
  spec.rho = rho;
  spec.signal = signal;
  spec.sigma = sigma;
  simulate::validate(spec);
  return spec;
}

py::dict iterative_result(const simulate::IterativeFit& fit) {
  py::dict out;
  out["coef"] = to_numpy(fit.coef);
  out["flops"] = fit.flops;
  out["epochs_run"] = fit.epochs_run;
  out["best_epoch"] = fit.best_epoch;
  out["diverged"] = fit.diverged;
  out["train_loss"] = to_numpy(fit.train_loss);
  out["validation_loss"] = to_numpy(fit.validation_loss);
  return out;
}

template <class Kernel>
py::tuple linear(Kernel kernel, const Matrix& X, const Matrix& y) {
  const MatrixMap x = as_matrix(X, "X");
  const VectorMap v = as_vector(y, "y");
  simulate::LinearFit fit;
  {
    py::gil_scoped_release release;
    fit = kernel(x, v);
  }
  return py::make_tuple(to_numpy(fit.coef), fit.flops);
}

}  // namespace

void bind_simulate(py::module_& module) {
  // The design covariance kinds; the Python registry is computelimits.simulate._common.COVARIANCES.
  py::enum_<simulate::Covariance>(module, "Covariance", "Row covariance of a simulated design.")
      .value("isotropic", simulate::Covariance::isotropic)
      .value("equicorrelated", simulate::Covariance::equicorrelated)
      .value("ar1", simulate::Covariance::ar1);
  module.def(
      "draw_design",
      [](std::int64_t n, std::int64_t p, std::int64_t k, simulate::Covariance covariance, double rho, double signal, double sigma,
         std::uint64_t seed, std::uint64_t replicate) {
        const auto spec = make_spec(n, p, k, covariance, rho, signal, sigma);
        RowMatrix X;
        Eigen::VectorXd noise, y;
        {
          py::gil_scoped_release release;
          simulate::draw_design(spec, seed, replicate, X, noise, y);
        }
        py::array_t<double> x_out({X.rows(), X.cols()});
        std::copy(X.data(), X.data() + X.size(), x_out.mutable_data());
        return py::make_tuple(x_out, to_numpy(noise), to_numpy(y), to_numpy(simulate::true_coefficients(spec)));
      },
      py::arg("n"), py::arg("p"), py::arg("k"), py::arg("covariance"), py::arg("rho"), py::arg("signal"),
      py::arg("sigma"), py::arg("seed"), py::arg("replicate"));
  module.def("ols_qr", [](const Matrix& X, const Matrix& y) { return linear(simulate::ols_qr, X, y); });
  module.def("ols_cholesky", [](const Matrix& X, const Matrix& y) { return linear(simulate::ols_cholesky, X, y); });
  module.def("min_norm", [](const Matrix& X, const Matrix& y) { return linear(simulate::min_norm, X, y); });
  module.def("ridge_path", [](const Matrix& X, const Matrix& y, const Matrix& lambdas) {
    const MatrixMap x = as_matrix(X, "X");
    const VectorMap v = as_vector(y, "y"), l = as_vector(lambdas, "lambdas");
    simulate::PathFit path;
    {
      py::gil_scoped_release release;
      path = simulate::ridge_path(x, v, l);
    }
    return py::make_tuple(to_numpy(path.coef), to_numpy(path.flops));
  });
  module.def("lasso_path", [](const Matrix& X, const Matrix& y, const Matrix& alphas, double tol,
                              std::int64_t max_sweeps) {
    const MatrixMap x = as_matrix(X, "X");
    const VectorMap v = as_vector(y, "y"), a = as_vector(alphas, "alphas");
    simulate::PathFit path;
    {
      py::gil_scoped_release release;
      path = simulate::lasso_path(x, v, a, tol, max_sweeps);
    }
    return py::make_tuple(to_numpy(path.coef), to_numpy(path.flops), to_numpy(path.kkt), to_numpy(path.sweeps));
  });
  module.def("gradient_descent", [](const Matrix& X, const Matrix& y, const Matrix& X_val, const Matrix& y_val,
                                    double step, std::int64_t epochs, double tol, std::int64_t patience) {
    const MatrixMap x = as_matrix(X, "X"), xv = as_matrix(X_val, "X_val");
    const VectorMap v = as_vector(y, "y"), vv = as_vector(y_val, "y_val");
    simulate::IterativeOptions options;
    options.step = step;
    options.epochs = epochs;
    options.tol = tol;
    options.patience = patience;
    simulate::IterativeFit fit;
    {
      py::gil_scoped_release release;
      fit = simulate::gradient_descent(x, v, xv, vv, options);
    }
    return iterative_result(fit);
  });
  module.def("sgd", [](const Matrix& X, const Matrix& y, const Matrix& X_val, const Matrix& y_val, double step,
                       std::int64_t batch, std::int64_t epochs, std::int64_t patience, std::uint64_t seed,
                       std::uint64_t stream, std::uint64_t start) {
    const MatrixMap x = as_matrix(X, "X"), xv = as_matrix(X_val, "X_val");
    const VectorMap v = as_vector(y, "y"), vv = as_vector(y_val, "y_val");
    simulate::IterativeOptions options;
    options.step = step;
    options.batch = batch;
    options.epochs = epochs;
    options.patience = patience;
    options.seed = seed;
    options.stream = stream;
    options.start = start;
    simulate::IterativeFit fit;
    {
      py::gil_scoped_release release;
      fit = simulate::sgd(x, v, xv, vv, options);
    }
    return iterative_result(fit);
  });
  module.def("paper_experiment", [](std::int64_t p, std::int64_t k, simulate::Covariance covariance, double rho, double signal,
                                    double sigma, std::vector<std::int64_t> sizes, std::int64_t expert_k,
                                    double lasso_scale, double lasso_tol, std::int64_t lasso_max_sweeps,
                                    std::uint64_t seed, std::uint64_t first_replicate, std::size_t replicates,
                                    long threads) {
    simulate::PaperConfig config;
    config.design = make_spec(sizes.empty() ? 1 : sizes.back(), p, k, covariance, rho, signal, sigma);
    config.sizes = std::move(sizes);
    config.expert_k = expert_k;
    config.lasso_scale = lasso_scale;
    config.lasso_tol = lasso_tol;
    config.lasso_max_sweeps = lasso_max_sweeps;
    const std::size_t count = config.sizes.size();
    py::array_t<double> nmse({replicates, count, std::size_t{simulate::kPaperModels}});
    py::array_t<double> flops({replicates, count, std::size_t{simulate::kPaperModels}});
    py::array_t<double> kkt({replicates, count});
    py::array_t<double> spent(replicates);
    double *a = nmse.mutable_data(), *b = flops.mutable_data(), *c = kkt.mutable_data(), *d = spent.mutable_data();
    {
      py::gil_scoped_release release;
      simulate::paper_experiment(config, seed, first_replicate, replicates, threads, a, b, c, d);
    }
    return py::make_tuple(nmse, flops, kkt, spent);
  });
  module.def("double_descent", [](std::int64_t n, std::vector<std::int64_t> p_values, std::vector<double> lambdas,
                                  double signal, double sigma, std::uint64_t seed, std::uint64_t first_replicate,
                                  std::size_t replicates, long threads) {
    simulate::DoubleDescentConfig config;
    config.n = n;
    config.p_values = std::move(p_values);
    config.ridge_lambdas = std::move(lambdas);
    config.signal = signal;
    config.sigma = sigma;
    const std::size_t count = config.p_values.size();
    py::array_t<double> min_norm({replicates, count}), ridge({replicates, count});
    double *a = min_norm.mutable_data(), *b = ridge.mutable_data();
    {
      py::gil_scoped_release release;
      simulate::double_descent(config, seed, first_replicate, replicates, threads, a, b);
    }
    return py::make_tuple(min_norm, ridge);
  });
  module.def("sgd_scaling", [](std::int64_t p, std::int64_t k, simulate::Covariance covariance, double rho, double signal,
                               double sigma, std::vector<std::int64_t> sizes, std::vector<std::int64_t> widths,
                               double step, std::int64_t batch, std::int64_t epochs, std::uint64_t seed,
                               std::uint64_t first_replicate, std::size_t replicates, long threads) {
    simulate::SgdScalingConfig config;
    config.design = make_spec(sizes.empty() ? 1 : sizes.back(), p, k, covariance, rho, signal, sigma);
    config.sizes = std::move(sizes);
    config.widths = std::move(widths);
    config.step = step;
    config.batch = batch;
    config.epochs = epochs;
    const std::size_t count = config.sizes.size(), e = static_cast<std::size_t>(epochs);
    py::array_t<double> excess({replicates, count, e}), distance({replicates, count});
    py::array_t<std::uint8_t> diverged({replicates, count});
    double *a = excess.mutable_data(), *b = distance.mutable_data();
    std::uint8_t* c = diverged.mutable_data();
    {
      py::gil_scoped_release release;
      simulate::sgd_scaling(config, seed, first_replicate, replicates, threads, a, b, c);
    }
    return py::make_tuple(excess, distance, diverged);
  });
  module.def("lasso_scaling", [](std::int64_t k, double signal, double sigma, std::vector<std::int64_t> sizes,
                                 std::vector<std::int64_t> widths, double lasso_scale, double lasso_tol,
                                 std::int64_t lasso_max_sweeps, std::uint64_t seed, std::uint64_t first_replicate,
                                 std::size_t replicates, long threads) {
    simulate::LassoScalingConfig config;
    const std::int64_t n = sizes.empty() ? 1 : *std::max_element(sizes.begin(), sizes.end());
    const std::int64_t p = widths.empty() ? 1 : *std::max_element(widths.begin(), widths.end());
    config.design = make_spec(n, p, k, simulate::Covariance::isotropic, 0.0, signal, sigma);
    config.sizes = std::move(sizes);
    config.widths = std::move(widths);
    config.lasso_scale = lasso_scale;
    config.lasso_tol = lasso_tol;
    config.lasso_max_sweeps = lasso_max_sweeps;
    const std::size_t cells = config.sizes.size();
    py::array_t<double> excess({replicates, cells}), flops({replicates, cells}), kkt({replicates, cells});
    py::array_t<double> sweeps({replicates, cells});
    double *a = excess.mutable_data(), *b = flops.mutable_data(), *c = kkt.mutable_data(), *d = sweeps.mutable_data();
    {
      py::gil_scoped_release release;
      simulate::lasso_scaling(config, seed, first_replicate, replicates, threads, a, b, c, d);
    }
    return py::make_tuple(excess, flops, kkt, sweeps);
  });
  module.def("sgd_stream_start", [](std::int64_t p, std::int64_t k, simulate::Covariance covariance, std::vector<std::int64_t> sizes,
                                    std::int64_t batch, std::int64_t epochs, std::size_t index) {
    simulate::SgdScalingConfig config;
    config.design = make_spec(sizes.empty() ? 1 : sizes.back(), p, k, covariance, 0.0, 1.0, 1.0);
    config.sizes = std::move(sizes);
    config.batch = batch;
    config.epochs = epochs;
    return simulate::sgd_stream_start(config, index);
  });
}

}  // namespace computelimits::bindings
