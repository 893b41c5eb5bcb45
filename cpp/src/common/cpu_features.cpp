#include "computelimits/common/cpu_features.hpp"

#include <cstdint>
#include <utility>

#if defined(__x86_64__) || defined(_M_X64)
#define COMPUTELIMITS_X86_64 1
#if defined(_MSC_VER) && !defined(__clang__)
#include <immintrin.h>
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#endif

namespace computelimits::common {
namespace {

struct Registers {
  std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

#if defined(COMPUTELIMITS_X86_64)
Registers cpuid(std::uint32_t leaf, std::uint32_t subleaf) {
  Registers r;
#if defined(_MSC_VER) && !defined(__clang__)
  int out[4];
  __cpuidex(out, static_cast<int>(leaf), static_cast<int>(subleaf));
  r.eax = static_cast<std::uint32_t>(out[0]);
  r.ebx = static_cast<std::uint32_t>(out[1]);
  r.ecx = static_cast<std::uint32_t>(out[2]);
  r.edx = static_cast<std::uint32_t>(out[3]);
#else
  __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
#endif
  return r;
}

// XCR0: which register states the operating system saves on a context switch.
std::uint64_t xcr0() {
#if defined(_MSC_VER) && !defined(__clang__)
  return _xgetbv(0);
#else
  std::uint32_t low = 0, high = 0;
  __asm__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  return (static_cast<std::uint64_t>(high) << 32) | low;
#endif
}
#endif

[[maybe_unused]] bool bit(std::uint32_t value, int position) { return ((value >> position) & 1U) != 0; }

struct Features {
  bool sse3 = false, ssse3 = false, sse41 = false, sse42 = false, popcnt = false, cx16 = false, lahf = false;
  bool avx = false, avx2 = false, bmi1 = false, bmi2 = false, f16c = false, fma = false, lzcnt = false;
  bool movbe = false, os_ymm = false;
  bool avx512f = false, avx512bw = false, avx512cd = false, avx512dq = false, avx512vl = false, os_zmm = false;
};

Features detect() {
  Features f;
#if defined(COMPUTELIMITS_X86_64)
  const std::uint32_t max_leaf = cpuid(0, 0).eax;
  const Registers one = cpuid(1, 0);
  f.sse3 = bit(one.ecx, 0);
  f.ssse3 = bit(one.ecx, 9);
  f.fma = bit(one.ecx, 12);
  f.cx16 = bit(one.ecx, 13);
  f.sse41 = bit(one.ecx, 19);
  f.sse42 = bit(one.ecx, 20);
  f.movbe = bit(one.ecx, 22);
  f.popcnt = bit(one.ecx, 23);
  const bool osxsave = bit(one.ecx, 27);
  f.avx = bit(one.ecx, 28);
  f.f16c = bit(one.ecx, 29);
  if (osxsave) {
    const std::uint64_t state = xcr0();
    f.os_ymm = (state & 0x6) == 0x6;    // SSE and AVX state
    f.os_zmm = (state & 0xE6) == 0xE6;  // plus opmask, ZMM_Hi256 and Hi16_ZMM state
  }
  if (max_leaf >= 7) {
    const Registers seven = cpuid(7, 0);
    f.bmi1 = bit(seven.ebx, 3);
    f.avx2 = bit(seven.ebx, 5);
    f.bmi2 = bit(seven.ebx, 8);
    f.avx512f = bit(seven.ebx, 16);
    f.avx512dq = bit(seven.ebx, 17);
    f.avx512cd = bit(seven.ebx, 28);
    f.avx512bw = bit(seven.ebx, 30);
    f.avx512vl = bit(seven.ebx, 31);
  }
  if (cpuid(0x80000000U, 0).eax >= 0x80000001U) {
    const Registers extended = cpuid(0x80000001U, 0);
    f.lahf = bit(extended.ecx, 0);
    f.lzcnt = bit(extended.ecx, 5);
  }
#endif
  return f;
}

bool level_v2(const Features& f) { return f.sse3 && f.ssse3 && f.sse41 && f.sse42 && f.popcnt && f.cx16 && f.lahf; }
bool level_v3(const Features& f) {
  return level_v2(f) && f.avx && f.avx2 && f.bmi1 && f.bmi2 && f.f16c && f.fma && f.lzcnt && f.movbe && f.os_ymm;
}
bool level_v4(const Features& f) {
  return level_v3(f) && f.avx512f && f.avx512bw && f.avx512cd && f.avx512dq && f.avx512vl && f.os_zmm;
}

}  // namespace

std::vector<std::string> cpu_features() {
  const Features f = detect();
  const std::pair<bool, const char*> named[] = {
      {f.sse3, "sse3"},         {f.ssse3, "ssse3"},       {f.sse41, "sse4.1"},     {f.sse42, "sse4.2"},
      {f.popcnt, "popcnt"},     {f.cx16, "cx16"},         {f.lahf, "lahf_lm"},     {f.avx, "avx"},
      {f.avx2, "avx2"},         {f.bmi1, "bmi1"},         {f.bmi2, "bmi2"},        {f.f16c, "f16c"},
      {f.fma, "fma"},           {f.lzcnt, "lzcnt"},       {f.movbe, "movbe"},      {f.os_ymm, "os_ymm_state"},
      {f.avx512f, "avx512f"},   {f.avx512bw, "avx512bw"}, {f.avx512cd, "avx512cd"}, {f.avx512dq, "avx512dq"},
      {f.avx512vl, "avx512vl"}, {f.os_zmm, "os_zmm_state"},
  };
  std::vector<std::string> out;
  for (const auto& [present, name] : named) {
    if (present) out.emplace_back(name);
  }
  return out;
}

std::vector<std::string> cpu_levels() {
  const Features f = detect();
  std::vector<std::string> out{"baseline"};
  if (level_v2(f)) out.emplace_back("x86-64-v2");
  if (level_v3(f)) out.emplace_back("x86-64-v3");
  if (level_v4(f)) out.emplace_back("x86-64-v4");
  return out;
}

}  // namespace computelimits::common
