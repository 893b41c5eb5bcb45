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

// Quantile at q of values[0 .. count) (reordered in place; any order on entry).
double linear_quantile(std::vector<double>& values, double q) {
  const std::size_t count = values.size();
  const double virtual_index = static_cast<double>(count - 1) * q;
  const std::size_t low = std::min(static_cast<std::size_t>(std::floor(virtual_index)), count - 1);
  const double gamma = virtual_index - static_cast<double>(low);
  const auto at = values.begin() + static_cast<std::ptrdiff_t>(low);
  std::nth_element(values.begin(), at, values.end());
  const double first = *at;
  const double second = low + 1 < count ? *std::min_element(at + 1, values.end()) : first;
  const double difference = second - first;
  return gamma < 0.5 ? first + difference * gamma : second - difference * (1.0 - gamma);
}

}  // namespace

void distribution_quantiles(const double* distribution, std::size_t rows, std::size_t count,
                            const double* probabilities, std::size_t m, long threads, double* quantiles) {
  common::parallel_for(0, rows, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
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
  common::parallel_for(0, rows, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t r = begin; r < end; ++r) {
      const double* row = distribution + r * count;
      if (count < 2) {
        standard_errors[r] = kNaN;
        continue;
      }
      double total = 0.0;
      for (std::size_t i = 0; i < count; ++i) total += row[i];
      const double mean = total / static_cast<double>(count);
      double squares = 0.0;
      for (std::size_t i = 0; i < count; ++i) squares += (row[i] - mean) * (row[i] - mean);
      standard_errors[r] = std::sqrt(squares / static_cast<double>(count - 1));
    }
  });
}

}  // namespace computelimits::fit
