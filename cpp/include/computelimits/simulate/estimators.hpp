// Least-squares estimators that return their estimate and the FLOPs they spent.
//
// FLOP accounting (one multiply or add or divide or square root = 1 FLOP):
//   inner product of length m            2m
//   Gram X'X (p x p, symmetric half)     n p (p + 1)      X X' (n x n): n (n + 1) p
//   matrix-vector X'y or X b             2 n p
//   Cholesky of m x m                    m^3/3 + m^2/2 + m/6
//   triangular solve m x m               m^2
//   QR with refinement (ols_qr)          see common/least_squares.hpp
//   symmetric eigendecomposition m x m   9 m^3 (Golub & Van Loan, Matrix Computations, eigenvalues and vectors)
// Counts are of the algorithm, not of the library's internal implementation.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>

#include "computelimits/simulate/design.hpp"

namespace computelimits::simulate {

using ConstMatrixRef = Eigen::Ref<const RowMatrix>;
using ConstVectorRef = Eigen::Ref<const Eigen::VectorXd>;

namespace flop_count {
double gram(double n, double p);            // X'X, symmetric half
double cholesky(double m);
double triangular_solve(double m);
double symmetric_eigen(double m);
}  // namespace flop_count

struct LinearFit {
  Eigen::VectorXd coef;
  double flops = 0.0;
};

// OLS by QR with refinement: the shared core, common/least_squares.hpp, with its FLOP count.
LinearFit ols_qr(const ConstMatrixRef& X, const ConstVectorRef& y);
// OLS by Cholesky of the Gram matrix X'X.
LinearFit ols_cholesky(const ConstMatrixRef& X, const ConstVectorRef& y);
// Minimum-norm interpolator X'(X X')^{-1} y (p >= n, full row rank), by Cholesky of X X'.
LinearFit min_norm(const ConstMatrixRef& X, const ConstVectorRef& y);

// Solve G b = c given the Cholesky factor; throws std::domain_error if G is not positive definite.
Eigen::VectorXd cholesky_solve(const Eigen::MatrixXd& gram, const Eigen::VectorXd& rhs, const char* what);

struct PathFit {
  Eigen::MatrixXd coef;   // p x L, one column per penalty
  Eigen::VectorXd flops;  // cumulative FLOPs after each penalty (shared work counted in the first)
  Eigen::VectorXd kkt;    // lasso: KKT residual per penalty (ridge: 0)
  Eigen::VectorXd sweeps; // lasso: coordinate sweeps per penalty
};

// Ridge (X'X + n lambda I)^{-1} X'y for every lambda, from one eigendecomposition of
// X'X (p <= n) or X X' (p > n). lambda = 0 gives pinv(X) y.
PathFit ridge_path(const ConstMatrixRef& X, const ConstVectorRef& y, const ConstVectorRef& lambdas);

// Lasso, sklearn's objective (1/2n)||y - X w||^2 + alpha ||w||_1, by active-set
// coordinate descent on the Gram matrix, warm-started along the alphas.
PathFit lasso_path(const ConstMatrixRef& X, const ConstVectorRef& y, const ConstVectorRef& alphas, double tol,
                   std::int64_t max_sweeps);

// One lasso solve on precomputed Gram = X'X (only its lower triangle is read) and c = X'y from n rows, warm-started at w (updated in
// place). Returns the KKT residual max_j of |g_j - alpha sign w_j| (w_j != 0) or
// max(|g_j| - alpha, 0) (w_j = 0), g = (c - Gram w)/n; adds FLOPs and sweeps.
double lasso_gram_solve(const Eigen::MatrixXd& gram, const Eigen::VectorXd& c, double n, double alpha,
                        Eigen::VectorXd& w, double tol, std::int64_t max_sweeps, double& flops,
                        std::int64_t& sweeps);

struct IterativeFit {
  Eigen::VectorXd coef;
  double flops = 0.0;
  std::int64_t epochs_run = 0;
  std::int64_t best_epoch = 0;
  bool diverged = false;
  Eigen::VectorXd train_loss;       // (1/2n)||y - Xw||^2 after each epoch
  Eigen::VectorXd validation_loss;  // mean squared error on the held-out set after each epoch (empty if none)
};

struct IterativeOptions {
  double step = 0.0;
  std::int64_t batch = 1;
  std::int64_t epochs = 1;
  double tol = 0.0;             // GD: stop once ||gradient||_inf <= tol
  std::int64_t patience = 0;    // early stopping: epochs without validation improvement (0: off)
  std::uint64_t seed = 0;       // SGD index stream (seed, stream) from draw `start`
  std::uint64_t stream = 0;
  std::uint64_t start = 0;
  // false: skip the per-epoch training loss (no train_loss; divergence = ||w||^2 not < 1e200).
  bool track_loss = true;
  // Called with (epoch, w) after every completed epoch (not counted in FLOPs).
  std::function<void(std::int64_t, const Eigen::VectorXd&)> on_epoch;
};

// Full-batch gradient descent on (1/2n)||y - Xw||^2 from w = 0.
IterativeFit gradient_descent(const ConstMatrixRef& X, const ConstVectorRef& y, const ConstMatrixRef& X_val,
                              const ConstVectorRef& y_val, const IterativeOptions& options);
// Mini-batch SGD from w = 0; each step draws `batch` rows uniformly with replacement.
IterativeFit sgd(const ConstMatrixRef& X, const ConstVectorRef& y, const ConstMatrixRef& X_val,
                 const ConstVectorRef& y_val, const IterativeOptions& options);

}  // namespace computelimits::simulate
