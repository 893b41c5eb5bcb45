// The paper's expert-versus-flexible simulation on nested samples: the Gram matrix
// X'X and X'y are updated with each new block of rows, and the Cholesky factor of
// X X' (minimum-norm fits, n < p) is extended block by block instead of recomputed.
#include <cmath>
#include <stdexcept>
#include <string>

#include "computelimits/common/cancellation.hpp"
#include "computelimits/common/parallel.hpp"
#include "computelimits/simulate/estimators.hpp"
#include "computelimits/simulate/experiments.hpp"

namespace computelimits::simulate {

namespace {

// OLS on the first m features from the running Gram (lower triangle) and X'y.
Eigen::VectorXd leading_ols(const Eigen::MatrixXd& gram_lower, const Eigen::VectorXd& c, std::int64_t m) {
  const Eigen::MatrixXd block = gram_lower.topLeftCorner(m, m).selfadjointView<Eigen::Lower>();
  return cholesky_solve(block, c.head(m), "paper_experiment: leading Gram block");
}

// The Cholesky factor of X X' for the first rows of X, extended as rows arrive.
class GrowingKernelFactor {
 public:
  explicit GrowingKernelFactor(std::int64_t capacity) : factor_(Eigen::MatrixXd::Zero(capacity, capacity)) {}

  // Extends the factor from rows_ to `rows` rows of X; returns the FLOPs spent.
  double extend(const RowMatrix& X, std::int64_t rows) {
    const std::int64_t old = rows_, added = rows - rows_;
    const double o = static_cast<double>(old), a = static_cast<double>(added), p = static_cast<double>(X.cols());
    const auto fresh = X.middleRows(old, added);
    Eigen::MatrixXd lower21 = fresh * X.topRows(old).transpose();  // K21 (a x old)
    if (old > 0) {
      factor_.topLeftCorner(old, old).triangularView<Eigen::Lower>().solveInPlace(lower21.transpose());
    }
    Eigen::MatrixXd schur = Eigen::MatrixXd::Zero(added, added);
    schur.selfadjointView<Eigen::Lower>().rankUpdate(fresh);
    if (old > 0) schur.selfadjointView<Eigen::Lower>().rankUpdate(lower21, -1.0);
    Eigen::LLT<Eigen::MatrixXd> llt(schur);
    if (llt.info() != Eigen::Success) {
      throw std::domain_error("paper_experiment: X X' is not positive definite at n=" + std::to_string(rows) +
                              "; keep sample sizes away from p");
    }
    factor_.block(old, 0, added, old) = lower21;
    factor_.block(old, old, added, added) = llt.matrixL();
    rows_ = rows;
    return 2.0 * a * o * p + a * (a + 1.0) * p + a * o * o + a * (a + 1.0) * o + flop_count::cholesky(a);
  }

  Eigen::VectorXd solve(const Eigen::VectorXd& rhs) const {
    const auto lower = factor_.topLeftCorner(rows_, rows_).triangularView<Eigen::Lower>();
    Eigen::VectorXd out = lower.solve(rhs);
    lower.transpose().solveInPlace(out);
    return out;
  }

 private:
  Eigen::MatrixXd factor_;
  std::int64_t rows_ = 0;
};

}  // namespace

void paper_experiment(const PaperConfig& config, std::uint64_t seed, std::uint64_t first_replicate,
                      std::size_t replicates, long threads, double* nmse, double* flops, double* lasso_kkt,
                      double* spent) {
  DesignSpec spec = config.design;
  const std::size_t size_count = config.sizes.size();
  if (size_count == 0) throw std::invalid_argument("sizes must not be empty");
  spec.n = config.sizes.back();
  validate(spec);
  const std::int64_t p = spec.p, k = spec.k, expert_k = config.expert_k;
  std::int64_t kernel_rows = 0;  // largest sample size fitted by minimum norm (n < p)
  for (const std::int64_t size : config.sizes) {
    if (size < p) kernel_rows = size;
  }
  const double pd = static_cast<double>(p), kd = static_cast<double>(k), ed = static_cast<double>(expert_k);
  const double signal = spec.signal;

  common::parallel_for(0, replicates, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    RowMatrix X;
    Eigen::VectorXd noise, y;
    const Eigen::VectorXd beta = true_coefficients(spec);
    for (std::size_t r = begin; r < end; ++r) {
      common::throw_if_cancelled();
      draw_design(spec, seed, first_replicate + r, X, noise, y);
      Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(p, p);
      Eigen::VectorXd c = Eigen::VectorXd::Zero(p);
      Eigen::VectorXd lasso_w = Eigen::VectorXd::Zero(p);
      GrowingKernelFactor kernel(kernel_rows);
      double total = 0.0;
      std::int64_t previous = 0;
      for (std::size_t g = 0; g < size_count; ++g) {
        common::throw_if_cancelled();
        const std::int64_t n = config.sizes[g];
        const double nd = static_cast<double>(n), added = static_cast<double>(n - previous);
        gram.selfadjointView<Eigen::Lower>().rankUpdate(X.middleRows(previous, n - previous).transpose());
        c.noalias() += X.middleRows(previous, n - previous).transpose() * y.segment(previous, n - previous);
        total += flop_count::gram(added, pd) + 2.0 * added * pd;
        double* out_nmse = nmse + (r * size_count + g) * kPaperModels;
        double* out_flops = flops + (r * size_count + g) * kPaperModels;
        auto score = [&](const Eigen::VectorXd& estimate) {
          return sigma_quadratic_form(spec, estimate - beta) / signal;
        };
        auto small_ols_flops = [&](double m) {
          return flop_count::gram(nd, m) + 2.0 * nd * m + flop_count::cholesky(m) + 2.0 * m * m;
        };
        Eigen::VectorXd estimate = Eigen::VectorXd::Zero(p);
        estimate.head(k) = leading_ols(gram, c, k);
        out_nmse[0] = score(estimate);
        out_flops[0] = small_ols_flops(kd);
        estimate.setZero();
        estimate.head(expert_k) = leading_ols(gram, c, expert_k);
        out_nmse[1] = score(estimate);
        out_flops[1] = small_ols_flops(ed);
        total += flop_count::cholesky(kd) + flop_count::cholesky(ed) + 2.0 * (kd * kd + ed * ed);
        if (n >= p) {
          estimate = cholesky_solve(gram, c, "paper_experiment: X'X (flexible OLS)");
          out_flops[2] = small_ols_flops(pd);
          total += flop_count::cholesky(pd) + 2.0 * pd * pd;
        } else {
          total += kernel.extend(X, n);
          estimate.noalias() = X.topRows(n).transpose() * kernel.solve(y.head(n));
          out_flops[2] = flop_count::gram(pd, nd) + flop_count::cholesky(nd) + 2.0 * nd * nd + 2.0 * nd * pd;
          total += 2.0 * nd * nd + 2.0 * nd * pd;
        }
        out_nmse[2] = score(estimate);
        const double alpha = config.lasso_scale * spec.sigma * std::sqrt(2.0 * std::log(pd) / nd);
        double lasso_flops = 0.0;
        std::int64_t sweeps = 0;
        lasso_kkt[r * size_count + g] = lasso_gram_solve(gram, c, nd, alpha, lasso_w, config.lasso_tol,
                                                         config.lasso_max_sweeps, lasso_flops, sweeps);
        out_nmse[3] = score(lasso_w);
        out_flops[3] = flop_count::gram(nd, pd) + 2.0 * nd * pd + lasso_flops;
        total += lasso_flops;
        previous = n;
      }
      spent[r] = total;
    }
  });
}

}  // namespace computelimits::simulate
