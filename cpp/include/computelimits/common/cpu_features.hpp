// Which x86-64 instruction-set levels this CPU (and its operating system) can run.
//
// Levels follow the x86-64 psABI: x86-64-v2 (SSE3, SSSE3, SSE4.1, SSE4.2, POPCNT,
// CMPXCHG16B, LAHF/SAHF), x86-64-v3 (v2 + AVX, AVX2, BMI1, BMI2, F16C, FMA, LZCNT,
// MOVBE, OS-saved YMM state), x86-64-v4 (v3 + AVX-512 F, BW, CD, DQ, VL, OS-saved
// ZMM and opmask state). Read with CPUID and XGETBV on x86-64 (GCC, Clang, MSVC); on
// other architectures only the baseline is reported.
#pragma once

#include <string>
#include <vector>

namespace computelimits::common {

// The feature names detected, e.g. {"sse4.2", "avx2", "fma", "avx512f", ...}.
std::vector<std::string> cpu_features();

// The levels this CPU runs, baseline first: {"baseline", "x86-64-v2", "x86-64-v3", ...}.
std::vector<std::string> cpu_levels();

}  // namespace computelimits::common
