// The three simulation experiments, one replicate per parallel task. Replicate r draws
// everything from RandomStream(seed, first_replicate + r), so results do not depend on
// the thread count and replicate ranges concatenate.
#pragma once

#include <cstdint>
#include <vector>

#include "computelimits/simulate/design.hpp"

namespace computelimits::simulate {

inline constexpr int kPaperModels = 4;  // oracle, expert, flexible, regularized flexible (lasso)

struct PaperConfig {
  DesignSpec design;                 // n is ignored (the largest sample size is used)
  std::vector<std::int64_t> sizes;   // strictly increasing sample sizes, nested samples
  std::int64_t expert_k = 0;         // the expert uses the first expert_k true features
  double lasso_scale = 1.0;          // alpha_n = lasso_scale * sigma * sqrt(2 ln p / n)
  double lasso_tol = 1e-8;
  std::int64_t lasso_max_sweeps = 100000;
};

// Outputs are row-major [replicate][size][model] (kkt: [replicate][size]; spent: [replicate]).
// nmse = (b - beta)' Sigma (b - beta) / beta' Sigma beta; flops = FLOPs of fitting the model
// from scratch at that sample size; spent = FLOPs actually spent with re-use across sizes.
void paper_experiment(const PaperConfig& config, std::uint64_t seed, std::uint64_t first_replicate,
                      std::size_t replicates, long threads, double* nmse, double* flops, double* lasso_kkt,
                      double* spent);

struct DoubleDescentConfig {
  std::int64_t n = 0;
  std::vector<std::int64_t> p_values;   // any order, each >= 1
  std::vector<double> ridge_lambdas;    // one per p value, >= 0
  double signal = 1.0;                  // ||beta||^2 (beta dense and equal)
  double sigma = 1.0;
};

// excess outputs are row-major [replicate][p index]: ||b - beta||^2 for min-norm
// (pinv(X) y) and ridge (X'X + n lambda I)^{-1} X'y.
void double_descent(const DoubleDescentConfig& config, std::uint64_t seed, std::uint64_t first_replicate,
                    std::size_t replicates, long threads, double* min_norm_excess, double* ridge_excess);

struct SgdScalingConfig {
  DesignSpec design;                 // n and p are the largest; the first k features carry the signal
  std::vector<std::int64_t> sizes;   // nondecreasing sample sizes
  std::vector<std::int64_t> widths;  // nondecreasing feature counts, one per size (each >= k)
  double step = 0.0;
  std::int64_t batch = 1;
  std::int64_t epochs = 1;
};

// Offset in the replicate's stream where the SGD indices of size index i begin.
std::uint64_t sgd_stream_start(const SgdScalingConfig& config, std::size_t size_index);

// excess: [replicate][size][epoch] = (w - beta)' Sigma (w - beta) after each epoch (NaN after
// a divergence); distance: [replicate][size] = ||w_final - pinv(X) y||; diverged: [replicate][size].
void sgd_scaling(const SgdScalingConfig& config, std::uint64_t seed, std::uint64_t first_replicate,
                 std::size_t replicates, long threads, double* excess, double* distance, std::uint8_t* diverged);

struct LassoScalingConfig {
  DesignSpec design;                 // n and p are the largest; the first k features carry the signal
  std::vector<std::int64_t> sizes;   // one sample size per cell (any order, each <= design.n)
  std::vector<std::int64_t> widths;  // one feature count per cell (each in [k, design.p])
  double lasso_scale = 1.0;          // alpha = lasso_scale * sigma * sqrt(2 ln p / n)
  double lasso_tol = 1e-8;
  std::int64_t lasso_max_sweeps = 100000;
};

// The lasso cells of compute_scaling. Replicate r draws one design of the largest size and
// each cell (n, p) fits its leading n rows and p columns from w = 0 by lasso_gram_solve.
// Outputs are row-major [replicate][cell]: excess = ||w - beta||^2 (isotropic), flops =
// Gram + X'y + the coordinate-descent work (a from-scratch fit), kkt residual, sweeps.
void lasso_scaling(const LassoScalingConfig& config, std::uint64_t seed, std::uint64_t first_replicate,
                   std::size_t replicates, long threads, double* excess, double* flops, double* kkt, double* sweeps);

}  // namespace computelimits::simulate
