// Limited-memory BFGS for smooth unconstrained minimization (Liu and Nocedal 1989),
// with the More-Thuente line search (More and Thuente, ACM TOMS 20(3), 1994).
//
// The iteration follows L-BFGS-B (Byrd, Lu, Nocedal and Zhu 1995; Zhu et al. 1997,
// v3.0) run without bounds, which is what scipy.optimize.minimize(method="L-BFGS-B")
// does on an unconstrained problem, so the two take the same steps up to rounding:
//   - direction d = -H g by the two-loop recursion over the last `memory` pairs
//     (s, y), H0 = (s'y / y'y) I from the newest pair; d = -g with no pairs;
//   - first step length min(1/||d||_2, 1e10) on the first iteration, 1 after;
//   - line search: More-Thuente with sufficient-decrease 1e-3, curvature 0.9,
//     interval tolerance 0.1, step in [0, 1e10], at most `max_line_search` trials;
//     a failed search (or an ascent direction) clears the memory and restarts from
//     -g; a failure with an empty memory ends the run (LineSearchFailed);
//   - a pair is skipped when s'y <= eps * (-s'g_old) (curvature not positive);
//   - stops (checked after each iteration, limits first): iterations >= max_iterations,
//     evaluations > max_evaluations, max_i |g_i| <= gtol, or
//     (f_old - f) <= ftol * max(|f_old|, |f|, 1).
// An objective or gradient that is not finite at a trial point ends the run with
// NonFinite, keeping the last finite iterate.
#pragma once

#include <cstddef>
#include <vector>

namespace computelimits::common {

enum class LbfgsStatus : int {
  ConvergedGradient = 0,   // max |g_i| <= gtol
  ConvergedObjective = 1,  // relative reduction of f <= ftol
  LineSearchFailed = 2,    // no acceptable step along -g
  IterationLimit = 3,
  EvaluationLimit = 4,
  NonFinite = 5,  // f or g not finite
};
inline constexpr int kLbfgsStatusCount = 6;

// The words for a status ("converged (gradient)", ...), the same list as the Python twin's.
const char* lbfgs_status_name(LbfgsStatus status) noexcept;

struct LbfgsOptions {
  std::size_t memory = 10;
  double ftol = 2.220446049250313e-09;
  double gtol = 1e-5;
  std::size_t max_iterations = 15000;
  std::size_t max_evaluations = 15000;
  std::size_t max_line_search = 20;
};

struct LbfgsResult {
  double objective = 0.0;
  LbfgsStatus status = LbfgsStatus::NonFinite;
  std::size_t iterations = 0;
  std::size_t evaluations = 0;
};

// f(x) and its gradient; must not keep state that changes its values between calls.
class DifferentiableFunction {
 public:
  virtual ~DifferentiableFunction() = default;
  virtual double evaluate(const double* x, double* gradient) = 0;
};

// More-Thuente line search state (MINPACK-2's dcsrch/dcstep algorithm), driven by
// reverse communication: start() with f, g'd at step 0 and the first trial step;
// then next() with f, g'd at each trial, which returns the next action.
class MoreThuenteSearch {
 public:
  enum class Action { Evaluate, Converged, Warning };

  MoreThuenteSearch(double ftol, double gtol, double xtol, double step_min, double step_max) noexcept
      : ftol_(ftol), gtol_(gtol), xtol_(xtol), step_min_(step_min), step_max_(step_max) {}

  // Initial value f0 and slope g0 < 0 at step 0; `step` is the first trial step.
  void start(double f0, double g0, double step) noexcept;
  // f and slope at the current trial step; on Evaluate, step() is the next trial.
  Action next(double f, double g) noexcept;
  double step() const noexcept { return step_; }

 private:
  double ftol_, gtol_, xtol_, step_min_, step_max_;
  double step_ = 0.0;
  bool bracketed_ = false;
  int stage_ = 1;
  double f_initial_ = 0.0, g_initial_ = 0.0, g_test_ = 0.0;
  double width_ = 0.0, width_previous_ = 0.0;
  double stx_ = 0.0, fx_ = 0.0, gx_ = 0.0;
  double sty_ = 0.0, fy_ = 0.0, gy_ = 0.0;
  double step_lower_ = 0.0, step_upper_ = 0.0;
};

// Scratch memory of one minimization, reusable across calls of the same dimension.
struct LbfgsWorkspace {
  explicit LbfgsWorkspace(std::size_t dimension = 0, std::size_t pairs = 10) { resize(dimension, pairs); }
  void resize(std::size_t dimension, std::size_t pairs);
  std::size_t n = 0, memory = 0;
  std::vector<double> s, y, rho, alpha;  // memory x n pairs, their 1/s'y, two-loop scratch
  std::vector<double> gradient, direction, x_saved, gradient_saved;
};

// Minimizes f from x (length n, overwritten with the final iterate).
LbfgsResult lbfgs_minimize(DifferentiableFunction& f, double* x, std::size_t n, const LbfgsOptions& options,
                           LbfgsWorkspace& workspace);

}  // namespace computelimits::common
