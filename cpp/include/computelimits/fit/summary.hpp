// Summaries of a bootstrap distribution: quantiles and standard errors, row by row.
#pragma once

#include <cstddef>

namespace computelimits::fit {

// For each row r of the (rows x count) row-major `distribution`, the quantiles at
// probabilities[r * m .. r * m + m) by numpy's default ("linear") rule, bit for bit:
// h = (count - 1) q, lo = min(floor(h), count - 1), g = h - lo, a and b the order
// statistics lo and lo + 1 (b = a at the top), result a + (b - a) g when g < 1/2 and
// b - (b - a)(1 - g) otherwise (numpy's _lerp). A row holding a NaN, or a non-finite
// probability, gives NaN. Writes rows x m values to `quantiles`.
void distribution_quantiles(const double* distribution, std::size_t rows, std::size_t count,
                            const double* probabilities, std::size_t m, long threads, double* quantiles);

// Standard deviation with ddof = 1 of each row (two passes: mean, then squared
// deviations); NaN for a row holding a NaN or with fewer than two values. A row whose
// largest |value| lies outside [2^-300, 2^300] is summed scaled by a power of two, so its
// squares neither overflow nor underflow.
void distribution_standard_errors(const double* distribution, std::size_t rows, std::size_t count, long threads,
                                  double* standard_errors);

}  // namespace computelimits::fit
