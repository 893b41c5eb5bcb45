#include "computelimits/fit/scaling_law.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <vector>

#include "computelimits/common/cancellation.hpp"
#include "computelimits/common/parallel.hpp"
#include "computelimits/common/random.hpp"
#include "computelimits/fit/resample_index.hpp"

namespace computelimits::fit {
namespace {

// The objective over all points in vectorized passes (Eigen's SIMD exp and log, ~1 ulp),
// with its scratch arrays kept across evaluations. Every evaluation first checks the
// caller's cancellation token (common/cancellation.hpp): one evaluation costs 5-8 ns a point,
// so a cancelled fit stops within one pass over the data even when a single start or
// resample refit of millions of points would take seconds.
class ScalingLawObjective final : public common::DifferentiableFunction {
 public:
  explicit ScalingLawObjective(const ScalingLawData& data)
      : data_(data), u1_(data.n), u2_(data.n), top_(data.n), w1_(data.n), w2_(data.n), w3_(data.n),
        sum_(data.n), residual_(data.n) {}

  double evaluate(const double* theta, double* gradient) override {
    common::throw_if_cancelled();
    using Eigen::ArrayXd;
    using Map = Eigen::Map<const ArrayXd>;
    const auto n = static_cast<Eigen::Index>(data_.n);
    const Map log_params(data_.log_params, n), log_tokens(data_.log_tokens, n), log_loss(data_.log_loss, n);
    const double a = theta[0], b = theta[1], e = theta[2], alpha = theta[3], beta = theta[4];
    const double delta = data_.delta;
    u1_ = a - alpha * log_params;
    u2_ = b - beta * log_tokens;
    top_ = u1_.max(u2_).max(e);
    w1_ = (u1_ - top_).exp();
    w2_ = (u2_ - top_).exp();
    w3_ = (e - top_).exp();
    sum_ = w1_ + w2_ + w3_;
    residual_ = log_loss - (top_ + sum_.log());
    const auto size = residual_.abs();
    const double f = (size <= delta).select(0.5 * residual_.square(), delta * (size - 0.5 * delta)).sum();
    if (gradient != nullptr) {
      // psi = H'(r) = clamp(r, -delta, delta); reuse u1_ for psi / sum.
      u1_ = residual_.max(-delta).min(delta) / sum_;
      gradient[0] = -(u1_ * w1_).sum();
      gradient[1] = -(u1_ * w2_).sum();
      gradient[2] = -(u1_ * w3_).sum();
      gradient[3] = (u1_ * w1_ * log_params).sum();
      gradient[4] = (u1_ * w2_ * log_tokens).sum();
    }
    return f;
  }

 private:
  const ScalingLawData& data_;
  Eigen::ArrayXd u1_, u2_, top_, w1_, w2_, w3_, sum_, residual_;
};

void write_record(const double* theta, const common::LbfgsResult& result, double* record) noexcept {
  std::copy(theta, theta + kScalingLawParameters, record);
  record[5] = result.objective;
  record[6] = static_cast<double>(static_cast<int>(result.status));
  record[7] = static_cast<double>(result.iterations);
  record[8] = static_cast<double>(result.evaluations);
}

}  // namespace

double scaling_law_objective(const ScalingLawData& data, const double* theta, double* gradient) {
  ScalingLawObjective objective(data);
  return objective.evaluate(theta, gradient);
}

void scaling_law_fit_starts(const ScalingLawData& data, const double* starts, std::size_t count,
                            const common::LbfgsOptions& options, long threads, double* out) {
  common::parallel_for(0, count, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    ScalingLawObjective objective(data);
    common::LbfgsWorkspace workspace(kScalingLawParameters, options.memory);
    double theta[kScalingLawParameters];
    for (std::size_t k = begin; k < end; ++k) {
      common::throw_if_cancelled();
      std::copy(starts + k * kScalingLawParameters, starts + (k + 1) * kScalingLawParameters, theta);
      const auto result = common::lbfgs_minimize(objective, theta, kScalingLawParameters, options, workspace);
      write_record(theta, result, out + k * kScalingLawRecord);
    }
  });
}

void scaling_law_bootstrap(const ScalingLawData& data, const double* theta0, const common::LbfgsOptions& options,
                           std::uint64_t seed, std::uint64_t first_resample, std::size_t count, long threads,
                           double* out) {
  const std::size_t n = data.n;
  common::parallel_for(0, count, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    std::vector<std::uint32_t> rows(n + 1);
    std::vector<double> log_params(n), log_tokens(n), log_loss(n);
    ScalingLawData resample{log_params.data(), log_tokens.data(), log_loss.data(), n, data.delta};
    ScalingLawObjective objective(resample);
    common::LbfgsWorkspace workspace(kScalingLawParameters, options.memory);
    double theta[kScalingLawParameters];
    for (std::size_t k = begin; k < end; ++k) {
      common::throw_if_cancelled();
      resample_indices(common::stream_key(seed, first_resample + k), 0, (n + 1) / 2, n, rows.data());
      for (std::size_t i = 0; i < n; ++i) {
        log_params[i] = data.log_params[rows[i]];
        log_tokens[i] = data.log_tokens[rows[i]];
        log_loss[i] = data.log_loss[rows[i]];
      }
      std::copy(theta0, theta0 + kScalingLawParameters, theta);
      const auto result = common::lbfgs_minimize(objective, theta, kScalingLawParameters, options, workspace);
      write_record(theta, result, out + k * kScalingLawRecord);
    }
  });
}

}  // namespace computelimits::fit
