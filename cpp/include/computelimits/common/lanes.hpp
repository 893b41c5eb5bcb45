// Four doubles handled as one value, for the SGD row kernels (simulate/iterative.cpp).
//
// GCC and Clang: a vector extension type (one 256-bit register where AVX is enabled, two
// 128-bit ones otherwise). Other compilers (MSVC): a struct with the same element-wise
// operations, which the optimizer vectorizes as it can. The arithmetic and its order are
// the same in both, so results do not depend on which one was compiled.
#pragma once

#include <cstring>

namespace computelimits::common {

#if defined(__GNUC__) || defined(__clang__)
typedef double Lanes __attribute__((vector_size(32)));
// Without AVX, GCC notes that returning a 32-byte vector has another ABI than with AVX.
// These helpers inline within one extension module, all of whose code shares one level.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
#endif
#else
struct Lanes {
  double v[4];
  double operator[](int i) const { return v[i]; }
  Lanes& operator+=(const Lanes& o) {
    for (int i = 0; i < 4; ++i) v[i] += o.v[i];
    return *this;
  }
};
inline Lanes operator+(Lanes a, const Lanes& b) {
  for (int i = 0; i < 4; ++i) a.v[i] += b.v[i];
  return a;
}
inline Lanes operator-(Lanes a, const Lanes& b) {
  for (int i = 0; i < 4; ++i) a.v[i] -= b.v[i];
  return a;
}
inline Lanes operator*(Lanes a, const Lanes& b) {
  for (int i = 0; i < 4; ++i) a.v[i] *= b.v[i];
  return a;
}
inline Lanes operator*(double s, Lanes a) {
  for (int i = 0; i < 4; ++i) a.v[i] *= s;
  return a;
}
#endif

// Unaligned load and store of four consecutive doubles.
inline Lanes load_lanes(const double* at) {
  Lanes value;
  std::memcpy(&value, at, sizeof value);
  return value;
}
inline void store_lanes(double* at, Lanes value) { std::memcpy(at, &value, sizeof value); }

// (a + b) + (c + d), then its lanes as (l0 + l1) + (l2 + l3): a fixed order.
inline double lane_sum(Lanes a, Lanes b, Lanes c, Lanes d) {
  const Lanes s = (a + b) + (c + d);
  return (s[0] + s[1]) + (s[2] + s[3]);
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace computelimits::common
