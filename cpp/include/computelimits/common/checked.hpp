// Checked integer arithmetic: counts never wrap silently.
//
// Every function throws std::overflow_error (OverflowError in Python) naming what
// was being computed when the exact result does not fit in a signed 64-bit integer.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace computelimits::common {

// The throw path, kept out of line so the checked operations inline into hot loops.
[[noreturn]] __attribute__((noinline, cold)) inline void throw_count_overflow(
    const char* what, std::int64_t a, const char* operation, std::int64_t b) {
  throw std::overflow_error(std::string(what) + ": " + std::to_string(a) + operation +
                            std::to_string(b) + " does not fit in a signed 64-bit count");
}

inline std::int64_t checked_mul(std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t result = 0;
  if (__builtin_expect(__builtin_mul_overflow(a, b, &result), 0)) throw_count_overflow(what, a, " * ", b);
  return result;
}

inline std::int64_t checked_add(std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t result = 0;
  if (__builtin_expect(__builtin_add_overflow(a, b, &result), 0)) throw_count_overflow(what, a, " + ", b);
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
