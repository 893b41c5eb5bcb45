#include "computelimits/fit/ols.hpp"

#include <limits>

#include "computelimits/common/parallel.hpp"

namespace computelimits::fit {

void ols_jackknife(const double* design, std::size_t n, std::size_t p, const double* params,
                   const double* cov_unscaled, const double* resid, const double* leverage,
                   long threads, double* out) {
  common::parallel_for(0, n, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t i = begin; i < end; ++i) {
      const double* row = design + i * p;
      double* target = out + i * p;
      const double denominator = 1.0 - leverage[i];
      if (!(denominator > 1e-12)) {
        for (std::size_t a = 0; a < p; ++a) target[a] = std::numeric_limits<double>::quiet_NaN();
        continue;
      }
      const double factor = resid[i] / denominator;
      for (std::size_t a = 0; a < p; ++a) {
        double dot = 0.0;
        for (std::size_t c = 0; c < p; ++c) dot += cov_unscaled[a * p + c] * row[c];
        target[a] = params[a] - dot * factor;
      }
    }
  });
}

}  // namespace computelimits::fit
