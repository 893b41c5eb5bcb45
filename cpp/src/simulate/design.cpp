#include "computelimits/simulate/design.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "computelimits/common/checked.hpp"
#include "computelimits/common/random.hpp"

namespace computelimits::simulate {

namespace {
[[noreturn]] void bad(const std::string& name, const std::string& value, const std::string& expected) {
  throw std::invalid_argument(name + " must be " + expected + ", got " + value);
}
// sin and cos of x in [0, 2 pi] with branch-free code the compiler vectorizes: reduction by
// k = round(x / (pi/2)) with a three-part Cody-Waite split of pi/2, then the Cephes
// minimax polynomials on [-pi/4, pi/4] (Moshier, Cephes Math Library, sin.c); ~1 ulp.
inline void sincos_reduced(double x, double& sine, double& cosine) {
  constexpr double kTwoOverPi = 0.63661977236758134308;
  constexpr double kRound = 6755399441055744.0;  // 1.5 * 2^52: adding it rounds to an integer
  constexpr double kPio2a = 2.0 * 7.85398125648498535156E-1;
  constexpr double kPio2b = 2.0 * 3.77489470793079817668E-8;
  constexpr double kPio2c = 2.0 * 2.69515142907905952645E-15;
  const double k = (x * kTwoOverPi + kRound) - kRound;
  const double r = ((x - k * kPio2a) - k * kPio2b) - k * kPio2c;
  const double z = r * r;
  const double s = r + r * z * (((((1.58962301576546568060E-10 * z - 2.50507477628578072866E-8) * z +
                                    2.75573136213857245213E-6) * z - 1.98412698295895385996E-4) * z +
                                  8.33333333332211858878E-3) * z - 1.66666666666666307295E-1);
  const double c = 1.0 - 0.5 * z + z * z * (((((-1.13585365213876817300E-11 * z + 2.08757008419747316778E-9) * z -
                                               2.75573141792967388112E-7) * z + 2.48015872888517045348E-5) * z -
                                             1.38888888888730564116E-3) * z + 4.16666666666665929218E-2);
  // Quadrant selection by exact 0/1 arithmetic (no branches, so the loop vectorizes).
  const double quadrant = k - 4.0 * std::floor(k * 0.25);
  const double high = std::floor(quadrant * 0.5);     // quadrant 2 or 3
  const double odd = quadrant - 2.0 * high;           // quadrant 1 or 3
  const double negate_cos = odd + high - 2.0 * odd * high;  // quadrant 1 or 2
  sine = (s * (1.0 - odd) + c * odd) * (1.0 - 2.0 * high);
  cosine = (c * (1.0 - odd) + s * odd) * (1.0 - 2.0 * negate_cos);
}

// Standard normals of stream (seed, replicate) in order: `head` values into `first`, then
// `rest` values into `second`. Pair k uses draws 2k+1 and 2k+2, exactly as
// RandomStream::normal; the logarithms (Eigen's vectorized log) and the sines and cosines
// (sincos_reduced) are evaluated in batches and may differ from libm in the last ulp.
void fill_normals(std::uint64_t seed, std::uint64_t replicate, std::int64_t head, std::int64_t rest,
                  double* first, double* second) {
  constexpr std::int64_t kBlock = 1024;  // pairs per batch
  common::RandomStream stream(seed, replicate);
  const std::int64_t total = head + rest;
  alignas(64) double radius[kBlock];
  alignas(64) double angle[kBlock];
  alignas(64) double sines[kBlock];
  alignas(64) double cosines[kBlock];
  alignas(64) double values[2 * kBlock];
  for (std::int64_t done = 0; done < total; done += 2 * kBlock) {
    const std::int64_t pairs = std::min<std::int64_t>(kBlock, (total - done + 1) / 2);
    for (std::int64_t k = 0; k < pairs; ++k) {
      radius[k] = stream.uniform_open_low();
      angle[k] = common::kTwoPi * stream.uniform();
    }
    Eigen::Map<Eigen::ArrayXd> radii(radius, pairs);
    radii = (-2.0 * radii.log()).sqrt();
    // Plain arrays with no calls in the body, so the compiler vectorizes sincos_reduced.
    for (std::int64_t k = 0; k < pairs; ++k) {
      double sine = 0.0, cosine = 0.0;
      sincos_reduced(angle[k], sine, cosine);
      sines[k] = radius[k] * sine;
      cosines[k] = radius[k] * cosine;
    }
    for (std::int64_t k = 0; k < pairs; ++k) {
      values[2 * k] = cosines[k];
      values[2 * k + 1] = sines[k];
    }
    // Values [done, done + used) of the sequence: the part below `head` goes to `first`.
    const std::int64_t used = std::min<std::int64_t>(2 * pairs, total - done);
    const std::int64_t to_first = std::clamp<std::int64_t>(head - done, 0, used);
    std::copy(values, values + to_first, first + done);
    std::copy(values + to_first, values + used, second + (done + to_first - head));
  }
}

}  // namespace

void validate(const DesignSpec& spec) {
  if (spec.n < 1) bad("n", std::to_string(spec.n), ">= 1");
  if (spec.p < 1) bad("p", std::to_string(spec.p), ">= 1");
  if (spec.k < 0 || spec.k > spec.p) bad("k", std::to_string(spec.k), "in [0, p=" + std::to_string(spec.p) + "]");
  if (!std::isfinite(spec.signal) || spec.signal < 0) bad("signal", std::to_string(spec.signal), "finite and >= 0");
  if (!std::isfinite(spec.sigma) || spec.sigma < 0) bad("sigma", std::to_string(spec.sigma), "finite and >= 0");
  if (!std::isfinite(spec.rho)) bad("rho", std::to_string(spec.rho), "finite");
  if (spec.covariance == Covariance::equicorrelated && (spec.rho < 0 || spec.rho >= 1))
    bad("rho", std::to_string(spec.rho), "in [0, 1) for equicorrelated covariance");
  if (spec.covariance == Covariance::ar1 && (spec.rho <= -1 || spec.rho >= 1))
    bad("rho", std::to_string(spec.rho), "in (-1, 1) for AR(1) covariance");
  (void)common::checked_mul(spec.n, spec.p, "design size n * p");
}

double leading_block_sum(const DesignSpec& spec, std::int64_t k) {
  const double kd = static_cast<double>(k);
  switch (spec.covariance) {
    case Covariance::isotropic:
      return kd;
    case Covariance::equicorrelated:
      return kd + kd * (kd - 1.0) * spec.rho;
    case Covariance::ar1: {
      double total = kd;
      double power = 1.0;
      for (std::int64_t lag = 1; lag < k; ++lag) {
        power *= spec.rho;
        total += 2.0 * static_cast<double>(k - lag) * power;
      }
      return total;
    }
  }
  return kd;
}

Eigen::VectorXd true_coefficients(const DesignSpec& spec) {
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(spec.p);
  if (spec.k == 0 || spec.signal == 0.0) return beta;
  const double level = std::sqrt(spec.signal / leading_block_sum(spec, spec.k));
  beta.head(spec.k).setConstant(level);
  return beta;
}

double sigma_quadratic_form(const DesignSpec& spec, const Eigen::Ref<const Eigen::VectorXd>& d) {
  switch (spec.covariance) {
    case Covariance::isotropic:
      return d.squaredNorm();
    case Covariance::equicorrelated: {
      const double total = d.sum();
      return (1.0 - spec.rho) * d.squaredNorm() + spec.rho * total * total;
    }
    case Covariance::ar1: {
      // Sigma = L L' with x = L z the AR(1) recursion; d' Sigma d = ||L' d||^2 where
      // (L' d)_j = s_j t_j, t_j = d_j + rho t_{j+1}, s_0 = 1, s_j = sqrt(1 - rho^2).
      const double scale = std::sqrt(1.0 - spec.rho * spec.rho);
      double tail = 0.0;
      double total = 0.0;
      for (Eigen::Index j = d.size() - 1; j >= 0; --j) {
        tail = d(j) + spec.rho * tail;
        const double component = j == 0 ? tail : scale * tail;
        total += component * component;
      }
      return total;
    }
  }
  return d.squaredNorm();
}

std::uint64_t design_draw_count(const DesignSpec& spec) {
  std::int64_t normals = common::checked_add(common::checked_mul(spec.n, spec.p, "design draws"), spec.n,
                                             "design draws");
  if (spec.covariance == Covariance::equicorrelated) normals = common::checked_add(normals, spec.n, "design draws");
  return static_cast<std::uint64_t>(normals + (normals % 2));
}

void draw_design(const DesignSpec& spec, std::uint64_t seed, std::uint64_t replicate, RowMatrix& X,
                 Eigen::VectorXd& noise, Eigen::VectorXd& y) {
  X.resize(spec.n, spec.p);
  noise.resize(spec.n);
  double* data = X.data();
  const std::int64_t cells = spec.n * spec.p;
  const std::int64_t extra = spec.covariance == Covariance::equicorrelated ? spec.n : 0;
  Eigen::VectorXd tail(2 * spec.n + 2);
  fill_normals(seed, replicate, cells, spec.n + extra, data, tail.data());
  noise = tail.head(spec.n);
  if (spec.covariance == Covariance::equicorrelated) {
    const double own = std::sqrt(1.0 - spec.rho);
    const double shared = std::sqrt(spec.rho);
    for (std::int64_t i = 0; i < spec.n; ++i) {
      const double factor = tail(spec.n + i);
      X.row(i) = own * X.row(i).array() + shared * factor;
    }
  } else if (spec.covariance == Covariance::ar1) {
    const double scale = std::sqrt(1.0 - spec.rho * spec.rho);
    for (std::int64_t i = 0; i < spec.n; ++i) {
      double* row = data + i * spec.p;
      for (std::int64_t j = 1; j < spec.p; ++j) row[j] = spec.rho * row[j - 1] + scale * row[j];
    }
  }
  const Eigen::VectorXd beta = true_coefficients(spec);
  y.noalias() = X.leftCols(spec.k) * beta.head(spec.k);
  y += spec.sigma * noise;
}

}  // namespace computelimits::simulate
