#include "computelimits/fit/resample_index.hpp"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

#include "computelimits/common/random.hpp"

namespace computelimits::fit {
namespace {

inline void scalar_word(std::uint64_t state, std::uint64_t n, std::uint32_t* out) noexcept {
  const std::uint64_t h = common::mix64(state);
  out[0] = static_cast<std::uint32_t>(((h >> 32) * n) >> 32);
  out[1] = static_cast<std::uint32_t>(((h & 0xFFFFFFFFULL) * n) >> 32);
}

#if defined(__AVX2__)
// Low 64 bits of z * m per lane: z_lo m_lo (one 32 x 32 -> 64-bit multiply) plus
// (z_lo m_hi + z_hi m_lo) 2^32 mod 2^64, both cross terms from one 32-bit multiply
// against `swapped` = (m_lo, m_hi) in (high, low) order.
inline __m256i multiply_u64(__m256i z, __m256i low, __m256i swapped) noexcept {
  const __m256i cross = _mm256_mullo_epi32(z, swapped);  // 32-bit lanes z_lo m_hi, z_hi m_lo
  const __m256i sum = _mm256_add_epi32(cross, _mm256_shuffle_epi32(cross, 0xB1));
  return _mm256_add_epi64(_mm256_mul_epu32(z, low), _mm256_slli_epi64(sum, 32));
}

inline __m256i splat(std::uint64_t value) noexcept { return _mm256_set1_epi64x(static_cast<long long>(value)); }
#endif

}  // namespace

void resample_indices(std::uint64_t key, std::uint64_t first_word, std::size_t words, std::uint64_t n,
                      std::uint32_t* out) noexcept {
  std::uint64_t state = key + first_word * common::kGoldenGamma;  // draw first_word + 1 is state + gamma
  std::size_t j = 0;
#if defined(__AVX2__)
  constexpr std::uint64_t m1 = 0xBF58476D1CE4E5B9ULL;
  constexpr std::uint64_t m2 = 0x94D049BB133111EBULL;
  const __m256i m1_low = splat(m1 & 0xFFFFFFFFULL), m1_swapped = splat((m1 >> 32) | (m1 << 32));
  const __m256i m2_low = splat(m2 & 0xFFFFFFFFULL), m2_swapped = splat((m2 >> 32) | (m2 << 32));
  const __m256i gamma4 = _mm256_set1_epi64x(static_cast<long long>(4 * common::kGoldenGamma));
  const __m256i rows = _mm256_set1_epi64x(static_cast<long long>(n));
  const __m256i high_mask = _mm256_set1_epi64x(static_cast<long long>(0xFFFFFFFF00000000ULL));
  __m256i lanes = _mm256_set_epi64x(static_cast<long long>(state + 4 * common::kGoldenGamma),
                                    static_cast<long long>(state + 3 * common::kGoldenGamma),
                                    static_cast<long long>(state + 2 * common::kGoldenGamma),
                                    static_cast<long long>(state + 1 * common::kGoldenGamma));
  for (; j + 4 <= words; j += 4) {
    __m256i z = lanes;
    z = multiply_u64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 30)), m1_low, m1_swapped);
    z = multiply_u64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 27)), m2_low, m2_swapped);
    z = _mm256_xor_si256(z, _mm256_srli_epi64(z, 31));
    // 32-bit lanes (2i, 2i+1) = (high half * n) >> 32, (low half * n) >> 32 of word i.
    const __m256i from_high = _mm256_srli_epi64(_mm256_mul_epu32(_mm256_srli_epi64(z, 32), rows), 32);
    const __m256i from_low = _mm256_and_si256(_mm256_mul_epu32(z, rows), high_mask);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 2 * j), _mm256_or_si256(from_high, from_low));
    lanes = _mm256_add_epi64(lanes, gamma4);
  }
  state += j * common::kGoldenGamma;
#endif
  for (; j < words; ++j) {
    state += common::kGoldenGamma;
    scalar_word(state, n, out + 2 * j);
  }
}

}  // namespace computelimits::fit
