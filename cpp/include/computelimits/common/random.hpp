// Counter-based random streams: one independent stream per (seed, stream index).
//
// Draw i of stream (seed, s) is mix64(key(seed, s) + (i + 1) * kGoldenGamma), the
// SplitMix64 output function (Steele, Lea, Flood 2014) applied to a counter. Because
// every draw is addressable, replicate r of any experiment gives the same numbers
// whichever thread runs it, and the numpy twin (computelimits._random) reproduces
// the integer and uniform streams bit for bit.
#pragma once

#include <cmath>
#include <cstdint>

namespace computelimits::common {

inline constexpr std::uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ULL;
inline constexpr std::uint64_t kSeedSalt = 0x6A09E667F3BCC909ULL;
inline constexpr double kTwoPow53Inverse = 1.0 / 9007199254740992.0;  // 2^-53
inline constexpr double kTwoPi = 6.283185307179586476925286766559;

// SplitMix64's finalizer: a bijection on 64-bit integers with full avalanche.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The key of stream `stream` under `seed`.
constexpr std::uint64_t stream_key(std::uint64_t seed, std::uint64_t stream) noexcept {
  return mix64(mix64(seed ^ kSeedSalt) + (stream + 1) * kGoldenGamma);
}

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint64_t stream, std::uint64_t start = 0) noexcept
      : key_(stream_key(seed, stream)), counter_(start) {}

  // Position of the next draw (number of 64-bit words consumed so far).
  std::uint64_t position() const noexcept { return counter_; }

  std::uint64_t next_u64() noexcept {
    ++counter_;
    return mix64(key_ + counter_ * kGoldenGamma);
  }

  // Uniform on [0, 1): the top 53 bits of one draw.
  double uniform() noexcept { return static_cast<double>(next_u64() >> 11) * kTwoPow53Inverse; }

  // Uniform on (0, 1].
  double uniform_open_low() noexcept {
    return static_cast<double>((next_u64() >> 11) + 1) * kTwoPow53Inverse;
  }

  // Integer uniform on [0, n): floor(u * n) with u from uniform(); bias <= n / 2^53.
  std::uint64_t below(std::uint64_t n) noexcept {
    const auto k = static_cast<std::uint64_t>(uniform() * static_cast<double>(n));
    return k < n ? k : n - 1;
  }

  // Standard normal pairs by Box-Muller: draws (u1, u2) give
  // sqrt(-2 ln u1) cos(2 pi u2) and then sqrt(-2 ln u1) sin(2 pi u2).
  double normal() noexcept {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double radius = std::sqrt(-2.0 * std::log(uniform_open_low()));
    const double angle = kTwoPi * uniform();
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

  // Poisson(1) count by inversion of the CDF (one uniform per draw).
  std::uint32_t poisson_one() noexcept {
    double u = uniform();
    double probability = 0.36787944117144233;  // e^-1
    double cumulative = probability;
    std::uint32_t k = 0;
    while (u >= cumulative && k < 64) {
      ++k;
      probability /= static_cast<double>(k);
      cumulative += probability;
    }
    return k;
  }

 private:
  std::uint64_t key_;
  std::uint64_t counter_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace computelimits::common
