#include "computelimits/fit/resample_index.hpp"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

#include "computelimits/common/random.hpp"

namespace computelimits::fit {
namespace {

// The two products (h >> 32) n and (h mod 2^32) n of one draw; the indices are their high halves.
inline void scalar_products(std::uint64_t state, std::uint64_t n, std::uint64_t* out) noexcept {
  const std::uint64_t h = common::mix64(state);
  out[0] = (h >> 32) * n;
  out[1] = (h & 0xFFFFFFFFULL) * n;
}

inline void scalar_word(std::uint64_t state, std::uint64_t n, std::uint32_t* out) noexcept {
  std::uint64_t products[2];
  scalar_products(state, n, products);
  out[0] = static_cast<std::uint32_t>(products[0] >> 32);
  out[1] = static_cast<std::uint32_t>(products[1] >> 32);
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

// SplitMix64 of four consecutive counters: lanes hold key + j gamma for four j.
struct Mixer {
  static constexpr std::uint64_t m1 = 0xBF58476D1CE4E5B9ULL;
  static constexpr std::uint64_t m2 = 0x94D049BB133111EBULL;
  const __m256i m1_low = splat(m1 & 0xFFFFFFFFULL), m1_swapped = splat((m1 >> 32) | (m1 << 32));
  const __m256i m2_low = splat(m2 & 0xFFFFFFFFULL), m2_swapped = splat((m2 >> 32) | (m2 << 32));
  const __m256i gamma4 = splat(4 * common::kGoldenGamma);
  __m256i lanes;

  // Lanes for draws first_word + 1 .. first_word + 4 (state = key + first_word gamma).
  explicit Mixer(std::uint64_t state) noexcept
      : lanes(_mm256_set_epi64x(static_cast<long long>(state + 4 * common::kGoldenGamma),
                                static_cast<long long>(state + 3 * common::kGoldenGamma),
                                static_cast<long long>(state + 2 * common::kGoldenGamma),
                                static_cast<long long>(state + 1 * common::kGoldenGamma))) {}

  // The next four draws; advances the lanes.
  __m256i next() noexcept {
    __m256i z = lanes;
    z = multiply_u64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 30)), m1_low, m1_swapped);
    z = multiply_u64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 27)), m2_low, m2_swapped);
    lanes = _mm256_add_epi64(lanes, gamma4);
    return _mm256_xor_si256(z, _mm256_srli_epi64(z, 31));
  }
};
#endif

}  // namespace

void resample_indices(std::uint64_t key, std::uint64_t first_word, std::size_t words, std::uint64_t n,
                      std::uint32_t* out) noexcept {
  std::uint64_t state = key + first_word * common::kGoldenGamma;  // draw first_word + 1 is state + gamma
  std::size_t j = 0;
#if defined(__AVX2__)
  Mixer mixer(state);
  const __m256i rows = splat(n);
  const __m256i high_mask = splat(0xFFFFFFFF00000000ULL);
  for (; j + 4 <= words; j += 4) {
    const __m256i z = mixer.next();
    // 32-bit lanes (2i, 2i+1) = (high half * n) >> 32, (low half * n) >> 32 of word i.
    const __m256i from_high = _mm256_srli_epi64(_mm256_mul_epu32(_mm256_srli_epi64(z, 32), rows), 32);
    const __m256i from_low = _mm256_and_si256(_mm256_mul_epu32(z, rows), high_mask);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 2 * j), _mm256_or_si256(from_high, from_low));
  }
  state += j * common::kGoldenGamma;
#endif
  for (; j < words; ++j) {
    state += common::kGoldenGamma;
    scalar_word(state, n, out + 2 * j);
  }
}

void resample_index_products(std::uint64_t key, std::uint64_t first_word, std::size_t words, std::uint64_t n,
                             std::uint64_t* out) noexcept {
  std::uint64_t state = key + first_word * common::kGoldenGamma;
  std::size_t j = 0;
#if defined(__AVX2__)
  Mixer mixer(state);
  const __m256i rows = splat(n);
  for (; j + 4 <= words; j += 4) {  // four products of high halves, then four of low halves
    const __m256i z = mixer.next();
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 2 * j), _mm256_mul_epu32(_mm256_srli_epi64(z, 32), rows));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 2 * j + 4), _mm256_mul_epu32(z, rows));
  }
  state += j * common::kGoldenGamma;
#endif
  for (; j < words; ++j) {
    state += common::kGoldenGamma;
    scalar_products(state, n, out + 2 * j);
  }
}

}  // namespace computelimits::fit
