#include "computelimits/common/lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace computelimits::common {
namespace {

constexpr double kExtrapolateLower = 1.1;  // More-Thuente's xtrapl
constexpr double kExtrapolateUpper = 4.0;  // xtrapu
constexpr double kBisectTrigger = 0.66;    // bisect when the interval shrank by less than this
constexpr double kStepMax = 1e10;          // L-BFGS-B's largest step without bounds
constexpr double kSufficientDecrease = 1e-3;
constexpr double kCurvature = 0.9;
constexpr double kIntervalTolerance = 0.1;

// One safeguarded step of More and Thuente (1994, sec. 4): from the best step stx (value
// fx, slope dx), the other end sty of the interval and the trial stp, choose the next
// trial by cubic or quadratic interpolation and update the interval. The four cases
// are the paper's: a higher value (the minimum is bracketed), slopes of opposite sign,
// a slope that decreases in magnitude, and one that does not.
void safeguarded_step(double& stx, double& fx, double& dx, double& sty, double& fy, double& dy, double& stp,
                      double fp, double dp, bool& bracketed, double step_min, double step_max) noexcept {
  const double sign = dp * (dx / std::fabs(dx));
  double next;
  if (fp > fx) {
    const double theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
    const double s = std::max({std::fabs(theta), std::fabs(dx), std::fabs(dp)});
    double gamma = s * std::sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
    if (stp < stx) gamma = -gamma;
    const double p = (gamma - dx) + theta;
    const double q = ((gamma - dx) + gamma) + dp;
    const double cubic = stx + (p / q) * (stp - stx);
    const double quadratic = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2.0) * (stp - stx);
    next = std::fabs(cubic - stx) < std::fabs(quadratic - stx) ? cubic : cubic + (quadratic - cubic) / 2.0;
    bracketed = true;
  } else if (sign < 0.0) {
    const double theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
    const double s = std::max({std::fabs(theta), std::fabs(dx), std::fabs(dp)});
    double gamma = s * std::sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
    if (stp > stx) gamma = -gamma;
    const double p = (gamma - dp) + theta;
    const double q = ((gamma - dp) + gamma) + dx;
    const double cubic = stp + (p / q) * (stx - stp);
    const double secant = stp + (dp / (dp - dx)) * (stx - stp);
    next = std::fabs(cubic - stp) > std::fabs(secant - stp) ? cubic : secant;
    bracketed = true;
  } else if (std::fabs(dp) < std::fabs(dx)) {
    const double theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
    const double s = std::max({std::fabs(theta), std::fabs(dx), std::fabs(dp)});
    double gamma = s * std::sqrt(std::max(0.0, (theta / s) * (theta / s) - (dx / s) * (dp / s)));
    if (stp > stx) gamma = -gamma;
    const double p = (gamma - dp) + theta;
    const double q = (gamma + (dx - dp)) + gamma;
    const double r = p / q;
    double cubic;
    if (r < 0.0 && gamma != 0.0) {
      cubic = stp + r * (stx - stp);
    } else {
      cubic = stp > stx ? step_max : step_min;
    }
    const double secant = stp + (dp / (dp - dx)) * (stx - stp);
    if (bracketed) {
      next = std::fabs(cubic - stp) < std::fabs(secant - stp) ? cubic : secant;
      next = stp > stx ? std::min(stp + kBisectTrigger * (sty - stp), next)
                       : std::max(stp + kBisectTrigger * (sty - stp), next);
    } else {
      next = std::fabs(cubic - stp) > std::fabs(secant - stp) ? cubic : secant;
      next = std::max(step_min, std::min(step_max, next));
    }
  } else if (bracketed) {
    const double theta = 3.0 * (fp - fy) / (sty - stp) + dy + dp;
    const double s = std::max({std::fabs(theta), std::fabs(dy), std::fabs(dp)});
    double gamma = s * std::sqrt((theta / s) * (theta / s) - (dy / s) * (dp / s));
    if (stp > sty) gamma = -gamma;
    const double p = (gamma - dp) + theta;
    const double q = ((gamma - dp) + gamma) + dy;
    next = stp + (p / q) * (sty - stp);
  } else {
    next = stp > stx ? step_max : step_min;
  }
  if (fp > fx) {
    sty = stp;
    fy = fp;
    dy = dp;
  } else {
    if (sign < 0.0) {
      sty = stx;
      fy = fx;
      dy = dx;
    }
    stx = stp;
    fx = fp;
    dx = dp;
  }
  stp = next;
}

double infinity_norm(const double* v, std::size_t n) noexcept {
  double norm = 0.0;
  for (std::size_t i = 0; i < n; ++i) norm = std::max(norm, std::fabs(v[i]));
  return norm;
}

double dot(const double* a, const double* b, std::size_t n) noexcept {
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

bool all_finite(double f, const double* g, std::size_t n) noexcept {
  if (!std::isfinite(f)) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(g[i])) return false;
  }
  return true;
}

}  // namespace

const char* lbfgs_status_name(LbfgsStatus status) noexcept {
  switch (status) {
    case LbfgsStatus::ConvergedGradient:
      return "converged (gradient)";
    case LbfgsStatus::ConvergedObjective:
      return "converged (objective)";
    case LbfgsStatus::LineSearchFailed:
      return "line search failed";
    case LbfgsStatus::IterationLimit:
      return "iteration limit";
    case LbfgsStatus::EvaluationLimit:
      return "evaluation limit";
    case LbfgsStatus::NonFinite:
      return "non-finite";
  }
  return "unknown";
}

void MoreThuenteSearch::start(double f0, double g0, double step) noexcept {
  step_ = step;
  bracketed_ = false;
  stage_ = 1;
  f_initial_ = f0;
  g_initial_ = g0;
  g_test_ = ftol_ * g0;
  width_ = step_max_ - step_min_;
  width_previous_ = width_ / 0.5;
  stx_ = 0.0;
  fx_ = f0;
  gx_ = g0;
  sty_ = 0.0;
  fy_ = f0;
  gy_ = g0;
  step_lower_ = 0.0;
  step_upper_ = step + kExtrapolateUpper * step;
}

MoreThuenteSearch::Action MoreThuenteSearch::next(double f, double g) noexcept {
  const double f_test = f_initial_ + step_ * g_test_;
  if (stage_ == 1 && f <= f_test && g >= 0.0) stage_ = 2;
  Action action = Action::Evaluate;
  if (bracketed_ && (step_ <= step_lower_ || step_ >= step_upper_)) action = Action::Warning;  // rounding errors
  if (bracketed_ && step_upper_ - step_lower_ <= xtol_ * step_upper_) action = Action::Warning;  // interval small
  if (step_ == step_max_ && f <= f_test && g <= g_test_) action = Action::Warning;
  if (step_ == step_min_ && (f > f_test || g >= g_test_)) action = Action::Warning;
  if (f <= f_test && std::fabs(g) <= gtol_ * (-g_initial_)) action = Action::Converged;
  if (action != Action::Evaluate) return action;

  if (stage_ == 1 && f <= fx_ && f > f_test) {
    // The auxiliary function psi(t) = f(t) - f(0) - ftol g(0) t until a step with
    // sufficient decrease and nonnegative slope is found.
    double fm = f - step_ * g_test_, fxm = fx_ - stx_ * g_test_, fym = fy_ - sty_ * g_test_;
    double gm = g - g_test_, gxm = gx_ - g_test_, gym = gy_ - g_test_;
    safeguarded_step(stx_, fxm, gxm, sty_, fym, gym, step_, fm, gm, bracketed_, step_lower_, step_upper_);
    fx_ = fxm + stx_ * g_test_;
    fy_ = fym + sty_ * g_test_;
    gx_ = gxm + g_test_;
    gy_ = gym + g_test_;
  } else {
    safeguarded_step(stx_, fx_, gx_, sty_, fy_, gy_, step_, f, g, bracketed_, step_lower_, step_upper_);
  }
  if (bracketed_) {
    if (std::fabs(sty_ - stx_) >= kBisectTrigger * width_previous_) step_ = stx_ + 0.5 * (sty_ - stx_);
    width_previous_ = width_;
    width_ = std::fabs(sty_ - stx_);
    step_lower_ = std::min(stx_, sty_);
    step_upper_ = std::max(stx_, sty_);
  } else {
    step_lower_ = step_ + kExtrapolateLower * (step_ - stx_);
    step_upper_ = step_ + kExtrapolateUpper * (step_ - stx_);
  }
  step_ = std::min(std::max(step_, step_min_), step_max_);
  if ((bracketed_ && (step_ <= step_lower_ || step_ >= step_upper_)) ||
      (bracketed_ && step_upper_ - step_lower_ <= xtol_ * step_upper_)) {
    step_ = stx_;  // no further progress possible: the best step so far
  }
  return Action::Evaluate;
}

void LbfgsWorkspace::resize(std::size_t dimension, std::size_t pairs) {
  n = dimension;
  memory = std::max<std::size_t>(pairs, 1);
  s.assign(memory * n, 0.0);
  y.assign(memory * n, 0.0);
  rho.assign(memory, 0.0);
  alpha.assign(memory, 0.0);
  gradient.assign(n, 0.0);
  direction.assign(n, 0.0);
  x_saved.assign(n, 0.0);
  gradient_saved.assign(n, 0.0);
}

LbfgsResult lbfgs_minimize(DifferentiableFunction& f, double* x, std::size_t n, const LbfgsOptions& options,
                           LbfgsWorkspace& ws) {
  if (ws.n != n || ws.memory != std::max<std::size_t>(options.memory, 1)) ws.resize(n, options.memory);
  const std::size_t m = ws.memory;
  constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
  double* g = ws.gradient.data();
  double* d = ws.direction.data();
  LbfgsResult result;
  double fx = f.evaluate(x, g);
  result.evaluations = 1;
  result.objective = fx;
  if (!all_finite(fx, g, n)) {
    result.status = LbfgsStatus::NonFinite;
    return result;
  }
  if (infinity_norm(g, n) <= options.gtol) {
    result.status = LbfgsStatus::ConvergedGradient;
    return result;
  }
  std::size_t stored = 0, newest = 0;  // pairs held; slot of the newest pair
  double h0 = 1.0;                     // H0 = h0 I, s'y / y'y of the newest pair
  MoreThuenteSearch search(kSufficientDecrease, kCurvature, kIntervalTolerance, 0.0, kStepMax);
  for (;;) {
    // d = -H g (two-loop recursion, Nocedal and Wright 2006, Algorithm 7.4).
    for (std::size_t i = 0; i < n; ++i) d[i] = -g[i];
    if (stored > 0) {
      for (std::size_t k = 0; k < stored; ++k) {
        const std::size_t slot = (newest + m - k) % m;
        const double a = ws.rho[slot] * dot(&ws.s[slot * n], d, n);
        ws.alpha[slot] = a;
        for (std::size_t i = 0; i < n; ++i) d[i] -= a * ws.y[slot * n + i];
      }
      for (std::size_t i = 0; i < n; ++i) d[i] *= h0;
      for (std::size_t k = stored; k-- > 0;) {
        const std::size_t slot = (newest + m - k) % m;
        const double b = ws.rho[slot] * dot(&ws.y[slot * n], d, n);
        for (std::size_t i = 0; i < n; ++i) d[i] += (ws.alpha[slot] - b) * ws.s[slot * n + i];
      }
    }
    const double slope = dot(g, d, n);
    if (!(slope < 0.0)) {  // not a descent direction: start again from -g, or stop
      if (stored == 0) {
        result.status = LbfgsStatus::LineSearchFailed;
        return result;
      }
      stored = 0;
      h0 = 1.0;
      continue;
    }
    const double first_step = result.iterations == 0 ? std::min(1.0 / std::sqrt(dot(d, d, n)), kStepMax) : 1.0;
    std::copy(x, x + n, ws.x_saved.begin());
    std::copy(g, g + n, ws.gradient_saved.begin());
    const double f_old = fx;
    search.start(f_old, slope, first_step);
    double step = first_step, new_slope = slope;
    bool accepted = false;
    for (std::size_t trial = 0; trial < options.max_line_search; ++trial) {
      for (std::size_t i = 0; i < n; ++i) x[i] = step == 1.0 ? ws.x_saved[i] + d[i] : step * d[i] + ws.x_saved[i];
      fx = f.evaluate(x, g);
      ++result.evaluations;
      if (!all_finite(fx, g, n)) {
        std::copy(ws.x_saved.begin(), ws.x_saved.end(), x);
        result.objective = f_old;
        result.status = LbfgsStatus::NonFinite;
        return result;
      }
      new_slope = dot(g, d, n);
      if (search.next(fx, new_slope) != MoreThuenteSearch::Action::Evaluate) {
        accepted = true;
        break;
      }
      step = search.step();
    }
    if (!accepted) {  // restore the previous iterate
      std::copy(ws.x_saved.begin(), ws.x_saved.end(), x);
      std::copy(ws.gradient_saved.begin(), ws.gradient_saved.end(), g);
      fx = f_old;
      result.objective = fx;
      if (stored == 0) {
        result.status = LbfgsStatus::LineSearchFailed;
        return result;
      }
      stored = 0;
      h0 = 1.0;
      continue;
    }
    ++result.iterations;
    result.objective = fx;
    if (result.iterations >= options.max_iterations) {
      result.status = LbfgsStatus::IterationLimit;
      return result;
    }
    if (result.evaluations > options.max_evaluations) {
      result.status = LbfgsStatus::EvaluationLimit;
      return result;
    }
    if (infinity_norm(g, n) <= options.gtol) {
      result.status = LbfgsStatus::ConvergedGradient;
      return result;
    }
    if (f_old - fx <= options.ftol * std::max({std::fabs(f_old), std::fabs(fx), 1.0})) {
      result.status = LbfgsStatus::ConvergedObjective;
      return result;
    }
    // The new pair s = step d, y = g - g_old, kept when s'y > eps (-s'g_old).
    const double curvature = step == 1.0 ? new_slope - slope : (new_slope - slope) * step;
    const double decrease = step == 1.0 ? -slope : -slope * step;
    if (curvature <= kEpsilon * decrease) continue;
    newest = stored == 0 ? 0 : (newest + 1) % m;
    stored = std::min(stored + 1, m);
    double yy = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      ws.s[newest * n + i] = step == 1.0 ? d[i] : step * d[i];
      const double yi = g[i] - ws.gradient_saved[i];
      ws.y[newest * n + i] = yi;
      yy += yi * yi;
    }
    ws.rho[newest] = 1.0 / curvature;
    h0 = curvature / yy;
  }
}

}  // namespace computelimits::common
