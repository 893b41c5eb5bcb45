// The lasso regime of compute_scaling: p = ceil(ratio n) candidate features, a sparse truth
// (the first k features), the universal penalty alpha = lasso_scale sigma sqrt(2 ln p / n)
// (Bickel, Ritov and Tsybakov 2009). One design of the largest size per replicate; each
// cell uses its leading rows and columns (nested samples, common random numbers).
#include <cmath>
#include <stdexcept>
#include <string>

#include "computelimits/common/parallel.hpp"
#include "computelimits/simulate/estimators.hpp"
#include "computelimits/simulate/experiments.hpp"

namespace computelimits::simulate {

void lasso_scaling(const LassoScalingConfig& config, std::uint64_t seed, std::uint64_t first_replicate,
                   std::size_t replicates, long threads, double* excess, double* flops, double* kkt, double* sweeps) {
  const std::size_t cells = config.sizes.size();
  if (cells == 0) throw std::invalid_argument("sizes must not be empty");
  if (config.widths.size() != cells) throw std::invalid_argument("widths must have one value per size");
  const DesignSpec& spec = config.design;
  validate(spec);
  if (spec.covariance != Covariance::isotropic) throw std::invalid_argument("lasso_scaling needs isotropic features");
  for (std::size_t cell = 0; cell < cells; ++cell) {
    const std::int64_t n = config.sizes[cell], p = config.widths[cell];
    if (n < 1 || n > spec.n) throw std::invalid_argument("sizes must lie in [1, " + std::to_string(spec.n) + "]");
    if (p < spec.k || p > spec.p || p < 1) {
      throw std::invalid_argument("widths must lie in [max(k, 1), " + std::to_string(spec.p) + "], got " +
                                  std::to_string(p));
    }
  }
  if (!(config.lasso_scale > 0.0)) throw std::invalid_argument("lasso_scale must be > 0");

  common::parallel_for(0, replicates, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    RowMatrix X;
    Eigen::VectorXd noise, y;
    const Eigen::VectorXd beta = true_coefficients(spec);
    for (std::size_t r = begin; r < end; ++r) {
      draw_design(spec, seed, first_replicate + r, X, noise, y);
      for (std::size_t cell = 0; cell < cells; ++cell) {
        const std::int64_t n = config.sizes[cell], p = config.widths[cell];
        const double nd = static_cast<double>(n), pd = static_cast<double>(p);
        const auto block = X.topLeftCorner(n, p);
        Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(p, p);
        gram.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
        const Eigen::VectorXd c = block.transpose() * y.head(n);
        const double alpha = config.lasso_scale * spec.sigma * std::sqrt(2.0 * std::log(pd) / nd);
        Eigen::VectorXd w = Eigen::VectorXd::Zero(p);
        double spent = flop_count::gram(nd, pd) + 2.0 * nd * pd;
        std::int64_t count = 0;
        const std::size_t at = r * cells + cell;
        kkt[at] = lasso_gram_solve(gram, c, nd, alpha, w, config.lasso_tol, config.lasso_max_sweeps, spent, count);
        excess[at] = (w - beta.head(p)).squaredNorm();
        flops[at] = spent;
        sweeps[at] = static_cast<double>(count);
      }
    }
  });
}

}  // namespace computelimits::simulate
