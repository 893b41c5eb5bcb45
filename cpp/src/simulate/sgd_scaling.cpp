// SGD compute-versus-error scaling on nested samples (rows) and nested features (columns).
#include <limits>
#include <stdexcept>

#include "computelimits/common/cancellation.hpp"
#include "computelimits/common/checked.hpp"
#include "computelimits/common/parallel.hpp"
#include "computelimits/simulate/estimators.hpp"
#include "computelimits/simulate/experiments.hpp"

namespace computelimits::simulate {

std::uint64_t sgd_stream_start(const SgdScalingConfig& config, std::size_t size_index) {
  std::int64_t offset = static_cast<std::int64_t>(design_draw_count(config.design));
  for (std::size_t i = 0; i < size_index; ++i) {
    const std::int64_t steps = (config.sizes[i] + config.batch - 1) / config.batch;
    const std::int64_t draws = common::checked_mul(common::checked_mul(steps, config.batch, "SGD draws"),
                                                   config.epochs, "SGD draws");
    offset = common::checked_add(offset, draws, "SGD draws");
  }
  return static_cast<std::uint64_t>(offset);
}

void sgd_scaling(const SgdScalingConfig& config, std::uint64_t seed, std::uint64_t first_replicate,
                 std::size_t replicates, long threads, double* excess, double* distance, std::uint8_t* diverged) {
  const std::size_t count = config.sizes.size();
  if (count == 0 || config.widths.size() != count) throw std::invalid_argument("sizes and widths must match");
  validate(config.design);
  (void)sgd_stream_start(config, count);  // checks the stream offsets fit
  const std::int64_t epochs = config.epochs;
  common::parallel_for(0, replicates, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    RowMatrix X;
    Eigen::VectorXd noise, y;
    for (std::size_t r = begin; r < end; ++r) {
      common::throw_if_cancelled();
      draw_design(config.design, seed, first_replicate + r, X, noise, y);
      for (std::size_t i = 0; i < count; ++i) {
        const std::int64_t n = config.sizes[i], p = config.widths[i];
        DesignSpec spec = config.design;
        spec.n = n;
        spec.p = p;
        const Eigen::VectorXd beta = true_coefficients(spec);
        const ConstMatrixRef features = X.topLeftCorner(n, p);  // a strided view, no copy
        const ConstVectorRef response = y.head(n);
        double* curve = excess + (r * count + i) * static_cast<std::size_t>(epochs);
        for (std::int64_t e = 0; e < epochs; ++e) curve[e] = std::numeric_limits<double>::quiet_NaN();
        IterativeOptions options;
        options.step = config.step;
        options.batch = config.batch;
        options.epochs = epochs;
        options.seed = seed;
        options.stream = first_replicate + r;
        options.start = sgd_stream_start(config, i);
        options.track_loss = false;
        options.on_epoch = [&](std::int64_t epoch, const Eigen::VectorXd& w) {
          curve[epoch] = sigma_quadratic_form(spec, w - beta);
        };
        const RowMatrix no_rows(0, p);
        const Eigen::VectorXd no_values(0);
        const IterativeFit fit = sgd(features, response, no_rows, no_values, options);
        diverged[r * count + i] = fit.diverged ? 1 : 0;
        const LinearFit reference = n >= p ? ols_cholesky(features, response) : min_norm(features, response);
        distance[r * count + i] = (fit.coef - reference.coef).norm();
      }
    }
  });
}

}  // namespace computelimits::simulate
