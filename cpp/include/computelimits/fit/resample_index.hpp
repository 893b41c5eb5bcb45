// Row indices of a bootstrap resample, two per SplitMix64 draw.
//
// Index k (k = 0, 1, ...) of the resample with stream key `key` (common::stream_key)
// comes from draw j = k / 2 + 1 of that stream, h = mix64(key + j gamma):
//   index 2j - 2 = ((h >> 32) n) >> 32,   index 2j - 1 = ((h mod 2^32) n) >> 32,
// Lemire's multiply-shift map of a 32-bit uniform onto [0, n) (exact in 64-bit
// integers; each index has probability floor or ceil(2^32 / n) / 2^32, a relative
// bias below n / 2^32). Needs 0 < n < 2^32. The numpy twin
// (computelimits.fit._numpy_twin.resample_indices) computes the same integers.
#pragma once

#include <cstddef>
#include <cstdint>

namespace computelimits::fit {

inline constexpr std::uint64_t kMaxResampleRows = std::uint64_t{1} << 32;

// out[0 .. 2 words) = indices 2 first_word .. 2 (first_word + words) - 1.
void resample_indices(std::uint64_t key, std::uint64_t first_word, std::size_t words, std::uint64_t n,
                      std::uint32_t* out) noexcept;

// The same 2 words indices as resample_indices, in an order of its own, each as the
// 64-bit product whose high 32 bits are the index (index = product >> 32). Skipping the
// final shift and interleave saves work for consumers that only need the indices as a
// set (sums over the resample's rows).
void resample_index_products(std::uint64_t key, std::uint64_t first_word, std::size_t words, std::uint64_t n,
                             std::uint64_t* out) noexcept;

}  // namespace computelimits::fit
