#include "computelimits/fit/resample_sums.hpp"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace computelimits::fit {
namespace {

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

}  // namespace

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

}  // namespace computelimits::fit
