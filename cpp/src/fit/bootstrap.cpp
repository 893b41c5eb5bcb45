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
#include "computelimits/fit/resample_index.hpp"

namespace computelimits::fit {
namespace {

constexpr double kSingularTolerance = 1e-13;
constexpr std::size_t kBlock = 1024;

// out[0 .. count) = indices start .. start + count - 1 of the resample (start even;
// out has room for count + 1 entries, as an odd count fills a whole last word).
void index_block(std::uint64_t key, std::size_t start, std::size_t count, std::size_t n, std::uint32_t* out) {
  resample_indices(key, start / 2, (count + 1) / 2, n, out);
}

using Columns = std::vector<Eigen::Map<const Eigen::ArrayXd>>;

// Sums of one resample: X'WX, X'Wv, sum w, sum w v, sum w v^2.
struct Sums {
  Eigen::MatrixXd gram;
  Eigen::VectorXd cross;
  double weight = 0.0;
  double response = 0.0;
  double response_squared = 0.0;
};

#if defined(__AVX2__) && defined(__FMA__)
inline double horizontal_sum(__m256d v) {
  const __m128d pair = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_add_sd(pair, _mm_unpackhi_pd(pair, pair)));
}

// The same sums in one fused pass, four rows per step, for a compile-time column count.
// With OnesFirst (column 0 is the intercept's ones) the terms with x_0 reduce to
// sum w, sum w v and sum w x_a, so column 0 is never loaded or multiplied.
template <int P, bool WithGram, bool OnesFirst>
void fused_pass(const Columns& columns, const Eigen::ArrayXd* weights, const Eigen::ArrayXd& values,
                Sums& sums) {
  constexpr int Q = P * (P + 1) / 2;
  constexpr int First = OnesFirst ? 1 : 0;
  const std::size_t n = static_cast<std::size_t>(values.size());
  const double* w = weights == nullptr ? nullptr : weights->data();
  const double* v = values.data();
  const double* x[P];
  for (int a = 0; a < P; ++a) x[a] = columns[static_cast<std::size_t>(a)].data();
  __m256d gram[Q];
  __m256d cross[P];
  for (auto& g : gram) g = _mm256_setzero_pd();
  for (auto& c : cross) c = _mm256_setzero_pd();
  __m256d weight = _mm256_setzero_pd(), response = _mm256_setzero_pd(), squared = _mm256_setzero_pd();
  const __m256d one = _mm256_set1_pd(1.0);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d wi = w == nullptr ? one : _mm256_loadu_pd(w + i);
    const __m256d vi = _mm256_loadu_pd(v + i);
    const __m256d wv = _mm256_mul_pd(wi, vi);
    weight = _mm256_add_pd(weight, wi);
    response = _mm256_add_pd(response, wv);
    squared = _mm256_fmadd_pd(wv, vi, squared);
    __m256d xi[P];
    for (int a = First; a < P; ++a) xi[a] = _mm256_loadu_pd(x[a] + i);
    for (int a = First; a < P; ++a) {
      cross[a] = _mm256_fmadd_pd(xi[a], wv, cross[a]);
      if (WithGram) {
        const __m256d wx = _mm256_mul_pd(wi, xi[a]);
        const int row = a * (a + 1) / 2;
        if (OnesFirst) gram[row] = _mm256_add_pd(gram[row], wx);
        for (int c = First; c <= a; ++c) gram[row + c] = _mm256_fmadd_pd(wx, xi[c], gram[row + c]);
      }
    }
  }
  sums.cross.resize(P);
  if (WithGram) sums.gram.resize(P, P);
  sums.weight = horizontal_sum(weight);
  sums.response = horizontal_sum(response);
  sums.response_squared = horizontal_sum(squared);
  for (int a = 0; a < P; ++a) {
    sums.cross(a) = horizontal_sum(cross[a]);
    for (int c = 0; c <= a && WithGram; ++c) sums.gram(a, c) = horizontal_sum(gram[a * (a + 1) / 2 + c]);
  }
  if (OnesFirst) {
    sums.cross(0) = sums.response;
    if (WithGram) sums.gram(0, 0) = sums.weight;
  }
  for (; i < n; ++i) {
    const double wi = w == nullptr ? 1.0 : w[i];
    const double wv = wi * v[i];
    sums.weight += wi;
    sums.response += wv;
    sums.response_squared += wv * v[i];
    for (int a = 0; a < P; ++a) {
      sums.cross(a) += x[a][i] * wv;
      for (int c = 0; c <= a && WithGram; ++c) sums.gram(a, c) += wi * x[a][i] * x[c][i];
    }
  }
  for (int a = 0; a < P && WithGram; ++a) {
    for (int c = 0; c < a; ++c) sums.gram(c, a) = sums.gram(a, c);
  }
}

template <int P>
void fused_dispatch(const Columns& columns, const Eigen::ArrayXd* weights, const Eigen::ArrayXd& values,
                    bool with_gram, bool ones_first, Sums& sums) {
  if (with_gram) {
    if (ones_first) return fused_pass<P, true, true>(columns, weights, values, sums);
    return fused_pass<P, true, false>(columns, weights, values, sums);
  }
  if (ones_first) return fused_pass<P, false, true>(columns, weights, values, sums);
  return fused_pass<P, false, false>(columns, weights, values, sums);
}

#endif

// One pass over the rows with weights w (empty: all 1) and values v. Eigen's
// packet reductions vectorize each sum whatever the compiler's FP flags.
void weighted_pass(const Columns& columns, const Eigen::ArrayXd* weights, const Eigen::ArrayXd& values,
                   bool with_gram, bool ones_first, Eigen::ArrayXd& scratch, Sums& sums) {
  const auto p = static_cast<Eigen::Index>(columns.size());
  (void)ones_first;  // only the fused AVX2 pass specializes the intercept column
#if defined(__AVX2__) && defined(__FMA__)
  switch (p) {
    case 1: return fused_dispatch<1>(columns, weights, values, with_gram, ones_first, sums);
    case 2: return fused_dispatch<2>(columns, weights, values, with_gram, ones_first, sums);
    case 3: return fused_dispatch<3>(columns, weights, values, with_gram, ones_first, sums);
    default: break;
  }
#endif
  sums.cross.resize(p);
  if (with_gram) sums.gram.resize(p, p);
  if (weights == nullptr) {
    for (Eigen::Index a = 0; a < p; ++a) sums.cross(a) = (columns[a] * values).sum();
    sums.weight = static_cast<double>(values.size());
    sums.response = values.sum();
    sums.response_squared = values.square().sum();
    return;
  }
  for (Eigen::Index a = 0; a < p; ++a) {
    scratch = *weights * columns[a];
    sums.cross(a) = (scratch * values).sum();
    if (with_gram) {
      for (Eigen::Index c = 0; c <= a; ++c) {
        sums.gram(a, c) = sums.gram(c, a) = (scratch * columns[c]).sum();
      }
    }
  }
  scratch = *weights * values;
  sums.weight = weights->sum();
  sums.response = scratch.sum();
  sums.response_squared = (scratch * values).sum();
}

// Solves one resample (Cholesky of X'WX) and writes coefficients then R^2.
void finish(const Eigen::LLT<Eigen::MatrixXd>& cholesky, const Eigen::MatrixXd& gram, const Sums& sums,
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
    return;
  }
  const Eigen::VectorXd& xty = sums.cross;
  const Eigen::VectorXd b = cholesky.solve(xty);
  for (Eigen::Index a = 0; a < p; ++a) target[a] = b(a);
  const double rss = sums.response_squared - b.dot(xty);
  const double tss = centred_tss ? sums.response_squared - sums.response * sums.response / sums.weight
                                 : sums.response_squared;
  target[p] = tss > 0.0 ? 1.0 - rss / tss : nan;
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

void bootstrap_ols(const BootstrapProblem& problem, Scheme scheme, std::uint64_t seed,
                   std::uint64_t first_resample, std::size_t n_resamples, long threads,
                   double* out) {
  const std::size_t n = problem.n;
  const std::size_t p = problem.p;
  if (n == 0 || p == 0 || p > n) throw std::invalid_argument("bootstrap_ols needs 0 < p <= n");
  if (n >= kMaxResampleRows) throw std::invalid_argument("bootstrap_ols needs n < 2^32 rows");
  const bool rows = scheme == Scheme::pairs || scheme == Scheme::poisson;
  if (rows && problem.response == nullptr) throw std::invalid_argument("response is required");
  if (!rows && (problem.fitted == nullptr || problem.residuals == nullptr)) {
    throw std::invalid_argument("fitted values and residuals are required");
  }
  // Column-major copy of the design: contiguous columns for the vectorized pass.
  std::vector<double> storage(n * p);
  Columns columns;
  for (std::size_t a = 0; a < p; ++a) {
    for (std::size_t i = 0; i < n; ++i) storage[a * n + i] = problem.design[i * p + a];
    columns.emplace_back(storage.data() + a * n, static_cast<Eigen::Index>(n));
  }
  const auto rows_n = static_cast<Eigen::Index>(n);
  const bool ones_first = (columns[0] == 1.0).all();
  const Eigen::Map<const Eigen::ArrayXd> response(rows ? problem.response : problem.fitted, rows_n);
  // Fixed-design schemes: X'X and its Cholesky factor once.
  Sums fixed;
  Eigen::LLT<Eigen::MatrixXd> fixed_cholesky;
  if (!rows) {
    Eigen::ArrayXd ones = Eigen::ArrayXd::Ones(rows_n);
    Eigen::ArrayXd scratch(rows_n);
    weighted_pass(columns, &ones, Eigen::ArrayXd::Zero(rows_n), true, false, scratch, fixed);
    fixed_cholesky.compute(fixed.gram);
  }
  const bool simple = scheme == Scheme::pairs && p == 2 && ones_first;
  std::vector<double> table(simple ? 2 * n : 0);  // (x_i, y_i) pairs for pairs_simple
  for (std::size_t i = 0; i < n && simple; ++i) {
    table[2 * i] = problem.design[2 * i + 1];
    table[2 * i + 1] = problem.response[i];
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
    std::vector<double> result(p + 1);
    Sums sums;
    Eigen::LLT<Eigen::MatrixXd> cholesky(static_cast<Eigen::Index>(p));
    for (std::size_t r = begin; r < end; ++r) {
      common::throw_if_cancelled();
      const std::uint64_t stream_index = first_resample + r;
      const std::uint64_t key = common::stream_key(seed, stream_index);
      // Statistic a of resample r goes to out[a * n_resamples + r] (statistic-major).
      double* target = result.data();
      const auto scatter = [&] {
        for (std::size_t a = 0; a <= p; ++a) out[a * n_resamples + r] = target[a];
      };
      if (simple) {
        pairs_simple(table.data(), n, key, products.data(), problem.centred_tss, target);
        scatter();
        continue;
      }
      if (scheme == Scheme::pairs || scheme == Scheme::residual) {
        if (scheme == Scheme::pairs) std::fill(counts.begin(), counts.end(), 0);
        for (std::size_t start = 0; start < n; start += kBlock) {
          const std::size_t count = std::min(kBlock, n - start);
          index_block(key, start, count, n, index.data());
          if (scheme == Scheme::pairs) {
            for (std::size_t k = 0; k < count; ++k) ++counts[index[k]];
          } else {
            for (std::size_t k = 0; k < count; ++k) {
              values[static_cast<Eigen::Index>(start + k)] =
                  problem.fitted[start + k] + problem.residuals[index[k]];
            }
          }
        }
        if (scheme == Scheme::pairs) {
          double* weights = values.data();
          const std::int32_t* drawn = counts.data();
          for (std::size_t i = 0; i < n; ++i) weights[i] = static_cast<double>(drawn[i]);
        }
      } else if (scheme == Scheme::poisson) {
        common::RandomStream stream(seed, stream_index);
        for (Eigen::Index i = 0; i < rows_n; ++i) values[i] = static_cast<double>(stream.poisson_one());
      } else {
        common::RandomStream stream(seed, stream_index);
        const bool rademacher = scheme == Scheme::wild_rademacher;
        for (std::size_t i = 0; i < n; ++i) {
          const double u = stream.uniform();
          const double v = rademacher ? (u < 0.5 ? -1.0 : 1.0)
                                      : (u < mammen_probability_low ? mammen_low : mammen_high);
          values[static_cast<Eigen::Index>(i)] = problem.fitted[i] + problem.residuals[i] * v;
        }
      }
      if (rows) {  // values hold the row weights
        weighted_pass(columns, &values, response, true, ones_first, scratch, sums);
        cholesky.compute(sums.gram);
        finish(cholesky, sums.gram, sums, problem.centred_tss, target);
      } else {  // values hold y*
        weighted_pass(columns, nullptr, values, false, ones_first, scratch, sums);
        finish(fixed_cholesky, fixed.gram, sums, problem.centred_tss, target);
      }
      scatter();
    }
  });
}

}  // namespace computelimits::fit
