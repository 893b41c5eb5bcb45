// Checked integer arithmetic: counts never wrap silently.
//
// Every function throws std::overflow_error (OverflowError in Python) naming what
// was being computed when the exact result does not fit in a signed 64-bit integer.
#pragma once

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#if defined(__GNUC__) || defined(__clang__)
#define COMPUTELIMITS_COLD __attribute__((noinline, cold))
#define COMPUTELIMITS_UNLIKELY(condition) __builtin_expect(!!(condition), 0)
#elif defined(_MSC_VER)
#define COMPUTELIMITS_COLD __declspec(noinline)
#define COMPUTELIMITS_UNLIKELY(condition) (condition)
#else
#define COMPUTELIMITS_COLD
#define COMPUTELIMITS_UNLIKELY(condition) (condition)
#endif

namespace computelimits::common {

// *out = a * b; true when the exact product does not fit (GCC/Clang builtins, else a
// division test; both exact for every signed 64-bit pair).
inline bool multiply_overflows(std::int64_t a, std::int64_t b, std::int64_t* out) {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_mul_overflow(a, b, out);
#else
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  const bool overflow = a > 0 ? (b > 0 ? a > kMax / b : b < kMin / a) : (b > 0 ? a < kMin / b : a != 0 && b < kMax / a);
  *out = overflow ? 0 : a * b;
  return overflow;
#endif
}

// *out = a + b; true when the exact sum does not fit.
inline bool add_overflows(std::int64_t a, std::int64_t b, std::int64_t* out) {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_add_overflow(a, b, out);
#else
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  const bool overflow = (b > 0 && a > kMax - b) || (b < 0 && a < kMin - b);
  *out = overflow ? 0 : a + b;
  return overflow;
#endif
}

// The throw path, kept out of line so the checked operations inline into hot loops.
[[noreturn]] COMPUTELIMITS_COLD inline void throw_count_overflow(
    const char* what, std::int64_t a, const char* operation, std::int64_t b) {
  throw std::overflow_error(std::string(what) + ": " + std::to_string(a) + operation +
                            std::to_string(b) + " does not fit in a signed 64-bit count");
}

inline std::int64_t checked_mul(std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t result = 0;
  if (COMPUTELIMITS_UNLIKELY(multiply_overflows(a, b, &result))) throw_count_overflow(what, a, " * ", b);
  return result;
}

inline std::int64_t checked_add(std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t result = 0;
  if (COMPUTELIMITS_UNLIKELY(add_overflows(a, b, &result))) throw_count_overflow(what, a, " + ", b);
  return result;
}

// Product of a list of factors, checked at every step.
template <class Iterable>
std::int64_t checked_product(const Iterable& factors, const char* what) {
  std::int64_t result = 1;
  for (auto factor : factors) result = checked_mul(result, static_cast<std::int64_t>(factor), what);
  return result;
}

}  // namespace computelimits::common
