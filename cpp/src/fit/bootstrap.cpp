#include "computelimits/fit/bootstrap.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "computelimits/common/parallel.hpp"
#include "computelimits/common/random.hpp"

namespace computelimits::fit {
namespace {

constexpr std::size_t kBlock = 256;
constexpr double kSingularTolerance = 1e-13;

// Draw `counter` (1-based) of the stream with key `key`, as RandomStream::below(n).
inline std::uint64_t below_at(std::uint64_t key, std::uint64_t counter, std::uint64_t n,
                              double n_real) noexcept {
  const std::uint64_t raw = common::mix64(key + counter * common::kGoldenGamma);
  const double u = static_cast<double>(raw >> 11) * common::kTwoPow53Inverse;
  const auto k = static_cast<std::uint64_t>(u * n_real);
  return k < n ? k : n - 1;
}

template <int P>
class Kernel {
 public:
  using Mat = Eigen::Matrix<double, P, P>;
  using Vec = Eigen::Matrix<double, P, 1>;

  Kernel(const BootstrapProblem& problem, std::uint64_t seed, std::uint64_t first_resample,
         double* out)
      : problem_(problem), p_(static_cast<Eigen::Index>(problem.p)), seed_(seed),
        first_(first_resample), out_(out) {}

  // Resamples [begin, end) of the weighted-rows schemes (pairs, poisson).
  void weighted_rows(Scheme scheme, std::size_t begin, std::size_t end) const {
    const std::size_t n = problem_.n;
    const double n_real = static_cast<double>(n);
    std::uint64_t index[kBlock];
    for (std::size_t r = begin; r < end; ++r) {
      Mat xtx = Mat::Zero(p_, p_);
      Vec xty = Vec::Zero(p_);
      Sums sums;
      if (scheme == Scheme::pairs) {
        const std::uint64_t key = common::stream_key(seed_, first_ + r);
        for (std::size_t start = 0; start < n; start += kBlock) {
          const std::size_t count = std::min(kBlock, n - start);
          for (std::size_t k = 0; k < count; ++k) index[k] = below_at(key, start + k + 1, n, n_real);
          for (std::size_t k = 0; k < count; ++k) add_row(index[k], 1.0, xtx, xty, sums);
        }
      } else {
        common::RandomStream stream(seed_, first_ + r);
        for (std::size_t i = 0; i < n; ++i) {
          const std::uint32_t weight = stream.poisson_one();
          if (weight != 0) add_row(i, static_cast<double>(weight), xtx, xty, sums);
        }
      }
      Eigen::LLT<Mat> cholesky(p_);
      cholesky.compute(xtx.template selfadjointView<Eigen::Lower>());
      finish(r, cholesky, xtx, xty, sums);
    }
  }

  // Resamples [begin, end) of the fixed-design schemes (residual, wild).
  void perturbed_response(Scheme scheme, std::size_t begin, std::size_t end) const {
    const std::size_t n = problem_.n;
    const double n_real = static_cast<double>(n);
    Mat xtx = Mat::Zero(p_, p_);
    Vec ignored = Vec::Zero(p_);
    Sums ignored_sums;
    for (std::size_t i = 0; i < n; ++i) add_row(i, 1.0, xtx, ignored, ignored_sums);
    Eigen::LLT<Mat> cholesky(p_);
    cholesky.compute(xtx.template selfadjointView<Eigen::Lower>());
    const double sqrt5 = std::sqrt(5.0);
    const double mammen_low = -(sqrt5 - 1.0) / 2.0;
    const double mammen_high = (sqrt5 + 1.0) / 2.0;
    const double mammen_probability_low = (sqrt5 + 1.0) / (2.0 * sqrt5);
    std::uint64_t index[kBlock];
    for (std::size_t r = begin; r < end; ++r) {
      Vec xty = Vec::Zero(p_);
      Sums sums;
      auto add_response = [&](std::size_t i, double value) {
        const double* row = problem_.design + i * problem_.p;
        for (Eigen::Index a = 0; a < p_; ++a) xty(a) += row[a] * value;
        sums.weight += 1.0;
        sums.response += value;
        sums.response_squared += value * value;
      };
      if (scheme == Scheme::residual) {
        const std::uint64_t key = common::stream_key(seed_, first_ + r);
        for (std::size_t start = 0; start < n; start += kBlock) {
          const std::size_t count = std::min(kBlock, n - start);
          for (std::size_t k = 0; k < count; ++k) index[k] = below_at(key, start + k + 1, n, n_real);
          for (std::size_t k = 0; k < count; ++k) {
            const std::size_t i = start + k;
            add_response(i, problem_.fitted[i] + problem_.residuals[index[k]]);
          }
        }
      } else {
        common::RandomStream stream(seed_, first_ + r);
        for (std::size_t i = 0; i < n; ++i) {
          const double u = stream.uniform();
          double v;
          if (scheme == Scheme::wild_rademacher) {
            v = u < 0.5 ? -1.0 : 1.0;
          } else {
            v = u < mammen_probability_low ? mammen_low : mammen_high;
          }
          add_response(i, problem_.fitted[i] + problem_.residuals[i] * v);
        }
      }
      finish(r, cholesky, xtx, xty, sums);
    }
  }

 private:
  struct Sums {
    double weight = 0.0;
    double response = 0.0;
    double response_squared = 0.0;
  };

  void add_row(std::size_t i, double weight, Mat& xtx, Vec& xty, Sums& sums) const {
    const double* row = problem_.design + i * problem_.p;
    const double y = problem_.response == nullptr ? 0.0 : problem_.response[i];
    const double wy = weight * y;
    for (Eigen::Index a = 0; a < p_; ++a) {
      const double wa = weight * row[a];
      for (Eigen::Index c = 0; c <= a; ++c) xtx(a, c) += wa * row[c];
      xty(a) += row[a] * wy;
    }
    sums.weight += weight;
    sums.response += wy;
    sums.response_squared += wy * y;
  }

  void finish(std::size_t r, const Eigen::LLT<Mat>& cholesky, const Mat& xtx, const Vec& xty,
              const Sums& sums) const {
    double* target = out_ + r * (problem_.p + 1);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    double largest = 0.0;
    for (Eigen::Index a = 0; a < p_; ++a) largest = std::max(largest, xtx(a, a));
    bool singular = cholesky.info() != Eigen::Success || !(largest > 0.0);
    if (!singular) {
      const auto pivots = cholesky.matrixLLT().diagonal();
      for (Eigen::Index a = 0; a < p_; ++a) {
        if (!(pivots(a) * pivots(a) > kSingularTolerance * largest)) singular = true;
      }
    }
    if (singular) {
      for (std::size_t a = 0; a <= problem_.p; ++a) target[a] = nan;
      return;
    }
    const Vec b = cholesky.solve(xty);
    for (Eigen::Index a = 0; a < p_; ++a) target[a] = b(a);
    const double rss = sums.response_squared - b.dot(xty);
    const double tss = problem_.centred_tss
                           ? sums.response_squared - sums.response * sums.response / sums.weight
                           : sums.response_squared;
    target[problem_.p] = tss > 0.0 ? 1.0 - rss / tss : nan;
  }

  const BootstrapProblem& problem_;
  Eigen::Index p_;
  std::uint64_t seed_;
  std::uint64_t first_;
  double* out_;
};

template <int P>
void run(const BootstrapProblem& problem, Scheme scheme, std::uint64_t seed,
         std::uint64_t first_resample, std::size_t n_resamples, long threads, double* out) {
  const Kernel<P> kernel(problem, seed, first_resample, out);
  const bool rows = scheme == Scheme::pairs || scheme == Scheme::poisson;
  common::parallel_for(0, n_resamples, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    if (rows) {
      kernel.weighted_rows(scheme, begin, end);
    } else {
      kernel.perturbed_response(scheme, begin, end);
    }
  });
}

}  // namespace

void bootstrap_ols(const BootstrapProblem& problem, Scheme scheme, std::uint64_t seed,
                   std::uint64_t first_resample, std::size_t n_resamples, long threads,
                   double* out) {
  if (problem.n == 0 || problem.p == 0 || problem.p > problem.n) {
    throw std::invalid_argument("bootstrap_ols needs 0 < p <= n");
  }
  const bool rows = scheme == Scheme::pairs || scheme == Scheme::poisson;
  if (rows && problem.response == nullptr) throw std::invalid_argument("response is required");
  if (!rows && (problem.fitted == nullptr || problem.residuals == nullptr)) {
    throw std::invalid_argument("fitted values and residuals are required");
  }
  switch (problem.p) {
    case 1: run<1>(problem, scheme, seed, first_resample, n_resamples, threads, out); break;
    case 2: run<2>(problem, scheme, seed, first_resample, n_resamples, threads, out); break;
    case 3: run<3>(problem, scheme, seed, first_resample, n_resamples, threads, out); break;
    case 4: run<4>(problem, scheme, seed, first_resample, n_resamples, threads, out); break;
    default:
      run<Eigen::Dynamic>(problem, scheme, seed, first_resample, n_resamples, threads, out);
  }
}

}  // namespace computelimits::fit
