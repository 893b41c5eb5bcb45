// Built with -ffp-contract=off (CMakeLists.txt): the interpolation must round like
// numpy's separate multiply and add, not as one fused multiply-add.
#include "computelimits/fit/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "computelimits/common/parallel.hpp"

namespace computelimits::fit {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Rows of standard_errors with values outside [2^-300, 2^300] are scaled (their squares
// would leave float64's range); ordinary rows are summed as they are.
constexpr double kScaleAbove = 0x1p300;
constexpr double kScaleBelow = 0x1p-300;
// Below this many values in all, one thread is faster than starting others.
constexpr std::size_t kParallelValues = std::size_t{1} << 20;

long workers_for(std::size_t rows, std::size_t count, long threads) {
  return rows * count < kParallelValues ? 1 : threads;
}

// Floyd and Rivest's SELECT (Comm. ACM 18(3), 1975, Algorithm 489): reorders
// a[left .. right] (no NaN) so that a[k] is its order statistic k, with nothing larger
// before and nothing smaller after. Recursing on a sample around the expected rank makes
// the partitions narrow: about n + min(k, n - k) comparisons, against about 2-3 n for
// std::nth_element (whose introselect pivots do not use the rank).
void floyd_rivest_select(double* a, std::ptrdiff_t left, std::ptrdiff_t right, std::ptrdiff_t k) {
  while (right > left) {
    if (right - left > 600) {
      const double n = static_cast<double>(right - left + 1);
      const double i = static_cast<double>(k - left + 1);
      const double z = std::log(n);
      const double s = 0.5 * std::exp(2.0 * z / 3.0);
      const double sd = 0.5 * std::sqrt(z * s * (n - s) / n) * (i < n / 2.0 ? -1.0 : 1.0);
      const auto kd = static_cast<double>(k);
      const auto new_left = std::max(left, static_cast<std::ptrdiff_t>(kd - i * s / n + sd));
      const auto new_right = std::min(right, static_cast<std::ptrdiff_t>(kd + (n - i) * s / n + sd));
      floyd_rivest_select(a, new_left, new_right, k);
    }
    const double t = a[k];
    std::ptrdiff_t i = left, j = right;
    std::swap(a[left], a[k]);
    if (a[right] > t) std::swap(a[right], a[left]);
    while (i < j) {
      std::swap(a[i], a[j]);
      ++i;
      --j;
      while (a[i] < t) ++i;
      while (a[j] > t) --j;
    }
    if (a[left] == t) {
      std::swap(a[left], a[j]);
    } else {
      ++j;
      std::swap(a[j], a[right]);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

// Quantile at q of values[0 .. count) (reordered in place; any order on entry).
double linear_quantile(std::vector<double>& values, double q) {
  const std::size_t count = values.size();
  const double virtual_index = static_cast<double>(count - 1) * q;
  const std::size_t low = std::min(static_cast<std::size_t>(std::floor(virtual_index)), count - 1);
  const double gamma = virtual_index - static_cast<double>(low);
  floyd_rivest_select(values.data(), 0, static_cast<std::ptrdiff_t>(count) - 1, static_cast<std::ptrdiff_t>(low));
  const auto at = values.begin() + static_cast<std::ptrdiff_t>(low);
  const double first = *at;
  const double second = low + 1 < count ? *std::min_element(at + 1, values.end()) : first;
  const double difference = second - first;
  return gamma < 0.5 ? first + difference * gamma : second - difference * (1.0 - gamma);
}

}  // namespace

void distribution_quantiles(const double* distribution, std::size_t rows, std::size_t count,
                            const double* probabilities, std::size_t m, long threads, double* quantiles) {
  common::parallel_for(0, rows, workers_for(rows, count, threads), [&](std::size_t begin, std::size_t end, std::size_t) {
    std::vector<double> values;
    for (std::size_t r = begin; r < end; ++r) {
      const double* row = distribution + r * count;
      double* out = quantiles + r * m;
      const bool usable = count > 0 && std::none_of(row, row + count, [](double v) { return std::isnan(v); });
      if (usable) values.assign(row, row + count);
      for (std::size_t j = 0; j < m; ++j) {
        const double q = probabilities[r * m + j];
        out[j] = usable && std::isfinite(q) && q >= 0.0 && q <= 1.0 ? linear_quantile(values, q) : kNaN;
      }
    }
  });
}

void distribution_standard_errors(const double* distribution, std::size_t rows, std::size_t count, long threads,
                                  double* standard_errors) {
  common::parallel_for(0, rows, workers_for(rows, count, threads), [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t r = begin; r < end; ++r) {
      const double* row = distribution + r * count;
      if (count < 2) {
        standard_errors[r] = kNaN;
        continue;
      }
      double largest = 0.0;  // NaN compares false: a NaN row stays NaN through the sums below
      for (std::size_t i = 0; i < count; ++i) largest = std::max(largest, std::abs(row[i]));
      int exponent = 0;
      if (std::isfinite(largest) && (largest > kScaleAbove || (largest > 0.0 && largest < kScaleBelow))) {
        std::frexp(largest, &exponent);
        exponent = std::max(exponent, -1000);  // keeps 2^-exponent finite; 2^-1000 |subnormal| is still > 0
      }
      const double factor = std::ldexp(1.0, -exponent);  // exact power of two; 1 for ordinary rows
      double total = 0.0;
      for (std::size_t i = 0; i < count; ++i) total += row[i] * factor;
      const double mean = total / static_cast<double>(count);
      double squares = 0.0;
      for (std::size_t i = 0; i < count; ++i) {
        const double deviation = row[i] * factor - mean;
        squares += deviation * deviation;
      }
      standard_errors[r] = std::ldexp(std::sqrt(squares / static_cast<double>(count - 1)), exponent);
    }
  });
}

}  // namespace computelimits::fit
