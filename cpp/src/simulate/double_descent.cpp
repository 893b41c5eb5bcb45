// Double descent at fixed n: min-norm and ridge for every p, nested feature sets.
// The kernel X_p X_p' grows by a rank update as p grows; for p <= n the Gram of the
// widest such p is formed once and each smaller p uses its leading block.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "computelimits/common/cancellation.hpp"
#include "computelimits/common/parallel.hpp"
#include "computelimits/simulate/estimators.hpp"
#include "computelimits/simulate/experiments.hpp"

namespace computelimits::simulate {

void double_descent(const DoubleDescentConfig& config, std::uint64_t seed, std::uint64_t first_replicate,
                    std::size_t replicates, long threads, double* min_norm_excess, double* ridge_excess) {
  const std::size_t count = config.p_values.size();
  if (count == 0) throw std::invalid_argument("p must not be empty");
  if (config.ridge_lambdas.size() != count) throw std::invalid_argument("ridge_lambda must have one value per p");
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return config.p_values[a] < config.p_values[b]; });
  DesignSpec spec;
  spec.n = config.n;
  spec.p = config.p_values[order.back()];
  spec.k = 0;  // the response is formed per p below
  spec.sigma = config.sigma;
  spec.signal = 0.0;
  validate(spec);
  const std::int64_t n = config.n;
  const double nd = static_cast<double>(n);
  std::int64_t widest_primal = 0;
  for (const std::int64_t p : config.p_values) {
    if (p <= n) widest_primal = std::max(widest_primal, p);
  }

  common::parallel_for(0, replicates, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    RowMatrix X;
    Eigen::VectorXd noise, unused;
    for (std::size_t r = begin; r < end; ++r) {
      common::throw_if_cancelled();
      draw_design(spec, seed, first_replicate + r, X, noise, unused);
      Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(widest_primal, widest_primal);
      if (widest_primal > 0) gram.selfadjointView<Eigen::Lower>().rankUpdate(X.leftCols(widest_primal).transpose());
      Eigen::MatrixXd kernel = Eigen::MatrixXd::Zero(n, n);
      std::int64_t kernel_width = 0;
      for (const std::size_t index : order) {
        common::throw_if_cancelled();
        const std::int64_t p = config.p_values[index];
        const auto features = X.leftCols(p);
        const double level = std::sqrt(config.signal / static_cast<double>(p));
        const Eigen::VectorXd y = level * features.rowwise().sum() + config.sigma * noise;
        const double shift = nd * config.ridge_lambdas[index];
        Eigen::VectorXd least_squares, ridge;
        if (p <= n) {
          const Eigen::MatrixXd block = gram.topLeftCorner(p, p).selfadjointView<Eigen::Lower>();
          const Eigen::VectorXd c = features.transpose() * y;
          least_squares = cholesky_solve(block, c, "double_descent: X'X (keep p away from n)");
          Eigen::MatrixXd shifted = block;
          shifted.diagonal().array() += shift;
          ridge = cholesky_solve(shifted, c, "double_descent: X'X + n lambda I");
        } else {
          if (p > kernel_width) {
            kernel.selfadjointView<Eigen::Lower>().rankUpdate(X.middleCols(kernel_width, p - kernel_width));
            kernel_width = p;
          }
          const Eigen::MatrixXd full = kernel.selfadjointView<Eigen::Lower>();
          least_squares = features.transpose() * cholesky_solve(full, y, "double_descent: X X' (keep p away from n)");
          Eigen::MatrixXd shifted = full;
          shifted.diagonal().array() += shift;
          ridge = features.transpose() * cholesky_solve(shifted, y, "double_descent: X X' + n lambda I");
        }
        min_norm_excess[r * count + index] = (least_squares.array() - level).square().sum();
        ridge_excess[r * count + index] = (ridge.array() - level).square().sum();
      }
    }
  });
}

}  // namespace computelimits::simulate
