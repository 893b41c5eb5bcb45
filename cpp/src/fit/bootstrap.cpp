#include "computelimits/fit/bootstrap.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

#include "computelimits/common/cancellation.hpp"
#include "computelimits/common/parallel.hpp"
#include "computelimits/common/random.hpp"
#include "computelimits/common/least_squares.hpp"
#include "computelimits/fit/resample_covariance.hpp"
#include "computelimits/fit/resample_index.hpp"
#include "computelimits/fit/resample_sums.hpp"

namespace computelimits::fit {
namespace {

constexpr double kSingularTolerance = 1e-13;
constexpr std::size_t kBlock = 1024;

// out[0 .. count) = indices start .. start + count - 1 of the resample (start even;
// out has room for count + 1 entries, as an odd count fills a whole last word).
void index_block(std::uint64_t key, std::size_t start, std::size_t count, std::size_t n, std::uint32_t* out) {
  resample_indices(key, start / 2, (count + 1) / 2, n, out);
}

// Solves one resample (Cholesky of X'WX), writes coefficients then R^2 and returns RSS* (NaN
// for a numerically singular X'WX).
double finish(const Eigen::LLT<Eigen::MatrixXd>& cholesky, const Eigen::MatrixXd& gram, const Sums& sums,
              bool centred_tss, double* target) {
  const auto p = gram.rows();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double largest = gram.diagonal().maxCoeff();
  bool singular = cholesky.info() != Eigen::Success || !(largest > 0.0);
  if (!singular) {
    const auto pivots = cholesky.matrixLLT().diagonal();
    for (Eigen::Index a = 0; a < p; ++a) {
      if (!(pivots(a) * pivots(a) > kSingularTolerance * largest)) singular = true;
    }
  }
  if (singular) {
    for (Eigen::Index a = 0; a <= p; ++a) target[a] = nan;
    return nan;
  }
  const Eigen::VectorXd& xty = sums.cross;
  const Eigen::VectorXd b = cholesky.solve(xty);
  for (Eigen::Index a = 0; a < p; ++a) target[a] = b(a);
  const double rss = sums.response_squared - b.dot(xty);
  const double tss = centred_tss ? sums.response_squared - sums.response * sums.response / sums.weight
                                 : sums.response_squared;
  target[p] = tss > 0.0 ? 1.0 - rss / tss : nan;
  return rss;
}

// The exponent e with max |v_i| 2^-e in [1, 2) (0 for all zeros): scaling by 2^-e is exact and
// leaves a column of ones as it is.
int unit_exponent(const double* values, std::size_t count) {
  const int exponent = common::max_abs_exponent(values, count);
  return exponent == 0 ? 0 : exponent - 1;
}

// v 2^-e, exactly.
std::vector<double> scaled_copy(const double* values, std::size_t count, int exponent) {
  std::vector<double> out(values == nullptr ? 0 : count);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = std::ldexp(values[i], -exponent);
  return out;
}

// Pairs resample of y on (1, x): each drawn row's (x, y), one 16-byte load from
// `table` (x_0, y_0, x_1, y_1, ...; 16 bytes a row keeps it in L1 longest), goes straight
// into sum x, sum y, sum x^2, sum x y, sum y^2 (no count vector). The drawn rows are the
// resample's indices taken as a set (resample_index_products; n odd: the high half of
// the last draw). Then the 2 x 2 normal equations are solved by the Cholesky steps of
// `finish`, written out (same singularity test).
void pairs_simple(const double* table, std::size_t n, std::uint64_t key, std::uint64_t* products,
                  bool centred_tss, double* target) {
  double sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0, syy = 0.0;
  const auto add_row = [&](std::uint64_t i) {
    const double x = table[2 * i], y = table[2 * i + 1];
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
    syy += y * y;
  };
#if defined(__AVX2__) && defined(__FMA__)
  // Two drawn rows a, b per vector: v = (x_a, y_a, x_b, y_b) gives sum x and sum y
  // (add), x^2 and y^2 (v v), x y (v times v with each pair swapped).
  constexpr int kChains = 3;  // independent sums per accumulator, enough to hide the latencies
  __m256d linear[kChains], square[kChains], cross[kChains];
  for (int u = 0; u < kChains; ++u) linear[u] = square[u] = cross[u] = _mm256_setzero_pd();
#endif
  const std::size_t full_words = n / 2;
  for (std::size_t word = 0; word < full_words; word += kBlock / 2) {
    const std::size_t count = 2 * std::min(kBlock / 2, full_words - word);
    resample_index_products(key, word, count / 2, n, products);
    std::size_t k = 0;
#if defined(__AVX2__) && defined(__FMA__)
    for (; k + 2 * kChains <= count; k += 2 * kChains) {
      for (int u = 0; u < kChains; ++u) {
        const std::uint64_t a = products[k + 2 * static_cast<std::size_t>(u)] >> 32;
        const std::uint64_t b = products[k + 2 * static_cast<std::size_t>(u) + 1] >> 32;
        const __m256d v = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(table + 2 * a)),
                                               _mm_loadu_pd(table + 2 * b), 1);
        linear[u] = _mm256_add_pd(linear[u], v);
        square[u] = _mm256_fmadd_pd(v, v, square[u]);
        cross[u] = _mm256_fmadd_pd(v, _mm256_permute_pd(v, 0b0101), cross[u]);
      }
    }
#endif
    for (; k < count; ++k) add_row(products[k] >> 32);
  }
  if (n % 2 == 1) {  // index n - 1 is the high half of one more draw; its low half is not used
    std::uint64_t last[2];
    resample_index_products(key, full_words, 1, n, last);
    add_row(last[0] >> 32);
  }
#if defined(__AVX2__) && defined(__FMA__)
  for (int u = 1; u < kChains; ++u) {
    linear[0] = _mm256_add_pd(linear[0], linear[u]);
    square[0] = _mm256_add_pd(square[0], square[u]);
    cross[0] = _mm256_add_pd(cross[0], cross[u]);
  }
  alignas(32) double l[4], q[4], c[4];
  _mm256_store_pd(l, linear[0]);
  _mm256_store_pd(q, square[0]);
  _mm256_store_pd(c, cross[0]);
  sx += l[0] + l[2];
  sy += l[1] + l[3];
  sxx += q[0] + q[2];
  syy += q[1] + q[3];
  sxy += c[0] + c[2];
#endif
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double weight = static_cast<double>(n);
  const double largest = std::max(weight, sxx);
  const double l00 = std::sqrt(weight), l10 = sx / l00;
  const double pivot = sxx - l10 * l10;  // L11^2
  if (!(largest > 0.0) || !(weight > kSingularTolerance * largest) || !(pivot > kSingularTolerance * largest)) {
    target[0] = target[1] = target[2] = nan;
    return;
  }
  const double l11 = std::sqrt(pivot);
  const double z0 = sy / l00, z1 = (sxy - l10 * z0) / l11;
  const double b1 = z1 / l11, b0 = (z0 - l10 * b1) / l00;
  const double rss = syy - (b0 * sy + b1 * sxy);
  const double tss = centred_tss ? syy - sy * sy / weight : syy;
  target[0] = b0;
  target[1] = b1;
  target[2] = tss > 0.0 ? 1.0 - rss / tss : nan;
}

}  // namespace

std::size_t bootstrap_statistics(std::size_t p, CovarianceKind covariance) noexcept {
  return p + 1 + (covariance == CovarianceKind::none ? 0 : p * (p + 1) / 2);
}

void bootstrap_ols(const BootstrapProblem& problem, Scheme scheme, std::uint64_t seed,
                   std::uint64_t first_resample, std::size_t n_resamples, long threads,
                   double* out) {
  const std::size_t n = problem.n;
  const std::size_t p = problem.p;
  if (n == 0 || p == 0 || p > n) throw std::invalid_argument("bootstrap_ols needs 0 < p <= n");
  if (n >= kMaxResampleRows) throw std::invalid_argument("bootstrap_ols needs n < 2^32 rows");
  bool rows = false;  // the row-weight schemes (pairs, poisson) against the fixed-design ones
  switch (scheme) {
    case Scheme::pairs:
    case Scheme::poisson:
      rows = true;
      break;
    case Scheme::residual:
    case Scheme::wild_rademacher:
    case Scheme::wild_mammen:
      break;
  }
  if (rows && problem.response == nullptr) throw std::invalid_argument("response is required");
  if (!rows && (problem.fitted == nullptr || problem.residuals == nullptr)) {
    throw std::invalid_argument("fitted values and residuals are required");
  }
  // Equilibration by powers of two (exact): column a times 2^-e_a, every response-like
  // vector times 2^-e_y, so that their largest magnitudes lie in [1, 2). The singularity
  // test then no longer depends on the units of x, and no sum overflows.
  std::vector<double> storage(n * p);  // column-major: contiguous columns for the vectorized pass
  std::vector<int> column_exponents(p);
  Columns columns;
  for (std::size_t a = 0; a < p; ++a) {
    double* column = storage.data() + a * n;
    for (std::size_t i = 0; i < n; ++i) column[i] = problem.design[i * p + a];
    column_exponents[a] = unit_exponent(column, n);
    for (std::size_t i = 0; i < n; ++i) column[i] = std::ldexp(column[i], -column_exponents[a]);
    columns.emplace_back(column, static_cast<Eigen::Index>(n));
  }
  int response_exponent = 0;
  {
    double largest = 0.0;
    for (const double* vector : {problem.response, problem.fitted, problem.residuals}) {
      for (std::size_t i = 0; vector != nullptr && i < n; ++i) largest = std::fmax(largest, std::fabs(vector[i]));
    }
    response_exponent = unit_exponent(&largest, 1);
  }
  const std::vector<double> scaled_response = scaled_copy(problem.response, n, response_exponent);
  const std::vector<double> fitted = scaled_copy(problem.fitted, n, response_exponent);
  const std::vector<double> residuals = scaled_copy(problem.residuals, n, response_exponent);
  const auto rows_n = static_cast<Eigen::Index>(n);
  const bool ones_first = (columns[0] == 1.0).all();
  const Eigen::Map<const Eigen::ArrayXd> response(rows ? scaled_response.data() : fitted.data(), rows_n);
  const CovarianceKind covariance = problem.covariance;
  const bool studentize = covariance != CovarianceKind::none;
  // Fixed-design schemes: X'X and its Cholesky factor once (and the leverages).
  Sums fixed;
  Eigen::LLT<Eigen::MatrixXd> fixed_cholesky;
  Eigen::ArrayXd fixed_leverage;
  if (!rows) {
    Eigen::ArrayXd ones = Eigen::ArrayXd::Ones(rows_n);
    Eigen::ArrayXd scratch(rows_n);
    weighted_pass(columns, &ones, Eigen::ArrayXd::Zero(rows_n), true, false, scratch, fixed);
    fixed_cholesky.compute(fixed.gram);
    if (studentize && fixed_cholesky.info() == Eigen::Success) fixed_leverage = row_leverages(columns, fixed_cholesky);
  }
  const bool simple = scheme == Scheme::pairs && p == 2 && ones_first && !studentize;
  std::vector<double> table(simple ? 2 * n : 0);  // (x_i, y_i) pairs for pairs_simple
  for (std::size_t i = 0; i < n && simple; ++i) {
    table[2 * i] = storage[n + i];
    table[2 * i + 1] = scaled_response[i];
  }
  const std::size_t statistics = bootstrap_statistics(p, covariance);
  // Statistic k of a resample is multiplied back by 2^shifts[k] (R^2 is scale-free).
  std::vector<int> shifts(statistics, 0);
  for (std::size_t a = 0, k = p + 1; a < p; ++a) {
    shifts[a] = response_exponent - column_exponents[a];
    for (std::size_t c = a; c < p && studentize; ++c, ++k) {
      shifts[k] = 2 * response_exponent - column_exponents[a] - column_exponents[c];
    }
  }
  const double sqrt5 = std::sqrt(5.0);
  const double mammen_low = -(sqrt5 - 1.0) / 2.0;
  const double mammen_high = (sqrt5 + 1.0) / 2.0;
  const double mammen_probability_low = (sqrt5 + 1.0) / (2.0 * sqrt5);

  common::parallel_for(0, n_resamples, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    Eigen::ArrayXd values(rows_n);
    Eigen::ArrayXd scratch(rows_n);
    std::vector<std::int32_t> counts(rows && !simple ? n : 0);
    std::vector<std::uint32_t> index(simple ? 0 : std::min(n, kBlock) + 1);
    std::vector<std::uint64_t> products(simple ? std::min(n, kBlock) : 0);
    std::vector<double> result(statistics);
    Sums sums;
    Eigen::LLT<Eigen::MatrixXd> cholesky(static_cast<Eigen::Index>(p));
    CovarianceWorkspace workspace;
    for (std::size_t r = begin; r < end; ++r) {
      common::throw_if_cancelled();
      const std::uint64_t stream_index = first_resample + r;
      const std::uint64_t key = common::stream_key(seed, stream_index);
      // Statistic k of resample r goes to out[k * n_resamples + r] (statistic-major).
      double* target = result.data();
      const auto scatter = [&] {
        for (std::size_t k = 0; k < statistics; ++k) out[k * n_resamples + r] = std::ldexp(target[k], shifts[k]);
      };
      if (simple) {
        pairs_simple(table.data(), n, key, products.data(), problem.centred_tss, target);
        scatter();
        continue;
      }
      switch (scheme) {
        case Scheme::pairs:
        case Scheme::residual:
          if (scheme == Scheme::pairs) std::fill(counts.begin(), counts.end(), 0);
          for (std::size_t start = 0; start < n; start += kBlock) {
            const std::size_t count = std::min(kBlock, n - start);
            index_block(key, start, count, n, index.data());
            if (scheme == Scheme::pairs) {
              for (std::size_t k = 0; k < count; ++k) ++counts[index[k]];
            } else {
              for (std::size_t k = 0; k < count; ++k) {
                values[static_cast<Eigen::Index>(start + k)] = fitted[start + k] + residuals[index[k]];
              }
            }
          }
          if (scheme == Scheme::pairs) {
            double* weights = values.data();
            const std::int32_t* drawn = counts.data();
            for (std::size_t i = 0; i < n; ++i) weights[i] = static_cast<double>(drawn[i]);
          }
          break;
        case Scheme::poisson: {
          common::RandomStream stream(seed, stream_index);
          for (Eigen::Index i = 0; i < rows_n; ++i) values[i] = static_cast<double>(stream.poisson_one());
          break;
        }
        case Scheme::wild_rademacher:
        case Scheme::wild_mammen: {
          common::RandomStream stream(seed, stream_index);
          const bool rademacher = scheme == Scheme::wild_rademacher;
          for (std::size_t i = 0; i < n; ++i) {
            const double u = stream.uniform();
            const double v = rademacher ? (u < 0.5 ? -1.0 : 1.0)
                                        : (u < mammen_probability_low ? mammen_low : mammen_high);
            values[static_cast<Eigen::Index>(i)] = fitted[i] + residuals[i] * v;
          }
          break;
        }
      }
      ResampleFit fit;
      fit.columns = &columns;
      fit.coefficients = target;
      if (rows) {  // values hold the row weights
        weighted_pass(columns, &values, response, true, ones_first, scratch, sums);
        cholesky.compute(sums.gram);
        fit.rss = finish(cholesky, sums.gram, sums, problem.centred_tss, target);
        fit.weights = values.data();
        fit.values = response.data();
        fit.cholesky = &cholesky;
      } else {  // values hold y*
        weighted_pass(columns, nullptr, values, false, ones_first, scratch, sums);
        fit.rss = finish(fixed_cholesky, fixed.gram, sums, problem.centred_tss, target);
        fit.values = values.data();
        fit.cholesky = &fixed_cholesky;
        fit.leverage = fixed_leverage.data();
      }
      if (studentize) {
        fit.weight = sums.weight;
        double* covariance_target = target + p + 1;
        if (std::isnan(fit.rss)) {
          std::fill(covariance_target, target + statistics, std::numeric_limits<double>::quiet_NaN());
        } else {
          resample_covariance(fit, covariance, workspace, covariance_target);
        }
      }
      scatter();
    }
  });
}

}  // namespace computelimits::fit
