// Full-batch gradient descent and mini-batch SGD on (1/2n)||y - X w||^2 from w = 0.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "computelimits/common/cancellation.hpp"
#include "computelimits/common/lanes.hpp"
#include "computelimits/common/random.hpp"
#include "computelimits/simulate/estimators.hpp"

namespace computelimits::simulate {

namespace {

// Tracks training loss, divergence and early stopping on held-out error after each epoch.
class EpochMonitor {
 public:
  EpochMonitor(const ConstMatrixRef& X, const ConstVectorRef& y, const ConstMatrixRef& X_val,
               const ConstVectorRef& y_val, const IterativeOptions& options, IterativeFit& fit)
      : X_(X), y_(y), X_val_(X_val), y_val_(y_val), options_(options), fit_(fit) {
    // The history grows with the epochs actually run (a tolerance or patience may stop
    // long before options.epochs), so only a first stretch is reserved.
    train_.reserve(static_cast<std::size_t>(std::min<std::int64_t>(options.epochs, 1 << 16)));
    initial_loss_ = 0.5 * y.squaredNorm() / static_cast<double>(y.size());
  }

  // Records epoch `epoch` (0-based) ending at w (and its previous value). Returns false to stop.
  bool record(std::int64_t epoch, Eigen::VectorXd& w, const Eigen::VectorXd& previous) {
    fit_.epochs_run = epoch + 1;
    if (!options_.track_loss) {
      if (!(w.squaredNorm() < 1e200)) {
        fit_.diverged = true;
        w = previous;
        fit_.epochs_run = epoch;
        return false;
      }
      if (options_.on_epoch) options_.on_epoch(epoch, w);
      return true;
    }
    const double loss = 0.5 * (X_ * w - y_).squaredNorm() / static_cast<double>(y_.size());
    if (!std::isfinite(loss) || loss > 1e100 * std::max(initial_loss_, 1e-300)) {
      fit_.diverged = true;
      w = previous;
      fit_.epochs_run = epoch;
      return false;
    }
    train_.push_back(loss);
    if (options_.on_epoch) options_.on_epoch(epoch, w);
    if (X_val_.rows() == 0) {
      best_ = w;
      fit_.best_epoch = epoch + 1;
      return true;
    }
    const double held_out = (X_val_ * w - y_val_).squaredNorm() / static_cast<double>(y_val_.size());
    validation_.push_back(held_out);
    if (held_out < best_validation_) {
      best_validation_ = held_out;
      best_ = w;
      fit_.best_epoch = epoch + 1;
    }
    return !(options_.patience > 0 && epoch + 1 - fit_.best_epoch >= options_.patience);
  }

  void finish(const Eigen::VectorXd& w) {
    fit_.coef = (X_val_.rows() == 0 || best_.size() == 0) ? w : best_;
    if (fit_.diverged && X_val_.rows() == 0) fit_.coef = w;
    fit_.train_loss = Eigen::Map<const Eigen::VectorXd>(train_.data(), static_cast<Eigen::Index>(train_.size()));
    fit_.validation_loss =
        Eigen::Map<const Eigen::VectorXd>(validation_.data(), static_cast<Eigen::Index>(validation_.size()));
  }

 private:
  const ConstMatrixRef& X_;
  const ConstVectorRef& y_;
  const ConstMatrixRef& X_val_;
  const ConstVectorRef& y_val_;
  const IterativeOptions& options_;
  IterativeFit& fit_;
  std::vector<double> train_, validation_;
  Eigen::VectorXd best_;
  double best_validation_ = std::numeric_limits<double>::infinity();
  double initial_loss_ = 0.0;
};

// Row kernels for SGD on a row-major design, on four-double lanes (common/lanes.hpp):
// four independent 4-wide accumulators break the add chain of the inner product (Eigen's
// dot keeps one), and unaligned loads allow any p. Summation order is fixed (lanes, then
// a pairwise tree), so results do not depend on threads or on the call site.
using common::Lanes;
using common::lane_sum;
inline Lanes load(const double* at) { return common::load_lanes(at); }
inline void store(double* at, Lanes value) { common::store_lanes(at, value); }

// x . w over p entries.
inline double row_dot(const double* x, const double* w, std::int64_t p) {
  Lanes a{}, b{}, c{}, d{};
  std::int64_t k = 0;
  for (; k + 16 <= p; k += 16) {
    a += load(x + k) * load(w + k);
    b += load(x + k + 4) * load(w + k + 4);
    c += load(x + k + 8) * load(w + k + 8);
    d += load(x + k + 12) * load(w + k + 12);
  }
  for (; k + 4 <= p; k += 4) a += load(x + k) * load(w + k);
  double tail = 0.0;
  for (; k < p; ++k) tail += x[k] * w[k];
  return lane_sum(a, b, c, d) + tail;
}

// w += scale * x over p entries.
inline void row_axpy(double scale, const double* x, double* w, std::int64_t p) {
  std::int64_t k = 0;
  for (; k + 4 <= p; k += 4) store(w + k, load(w + k) + scale * load(x + k));
  for (; k < p; ++k) w[k] += scale * x[k];
}

// g += r0 x0 + r1 x1 + r2 x2 + r3 x3: four rows per pass over g.
inline void four_row_axpy(const double* r, const double* const* x, double* g, std::int64_t p) {
  const double r0 = r[0], r1 = r[1], r2 = r[2], r3 = r[3];
  const double *x0 = x[0], *x1 = x[1], *x2 = x[2], *x3 = x[3];
  std::int64_t k = 0;
  for (; k + 4 <= p; k += 4) {
    store(g + k, load(g + k) + ((r0 * load(x0 + k) + r1 * load(x1 + k)) + (r2 * load(x2 + k) + r3 * load(x3 + k))));
  }
  for (; k < p; ++k) g[k] += (r0 * x0[k] + r1 * x1[k]) + (r2 * x2[k] + r3 * x3[k]);
}

// w -= scale * x_now, then returns x_next . w (the updated w): one pass over w for the
// update of step t and the inner product of step t + 1 (batch-1 SGD's serial chain).
inline double row_update_then_dot(double scale, const double* x_now, const double* x_next, double* w,
                                  std::int64_t p) {
  Lanes a{}, b{}, c{}, d{};
  std::int64_t k = 0;
  for (; k + 16 <= p; k += 16) {
    const Lanes w0 = load(w + k) - scale * load(x_now + k);
    const Lanes w1 = load(w + k + 4) - scale * load(x_now + k + 4);
    const Lanes w2 = load(w + k + 8) - scale * load(x_now + k + 8);
    const Lanes w3 = load(w + k + 12) - scale * load(x_now + k + 12);
    store(w + k, w0);
    store(w + k + 4, w1);
    store(w + k + 8, w2);
    store(w + k + 12, w3);
    a += load(x_next + k) * w0;
    b += load(x_next + k + 4) * w1;
    c += load(x_next + k + 8) * w2;
    d += load(x_next + k + 12) * w3;
  }
  for (; k + 4 <= p; k += 4) {
    const Lanes w0 = load(w + k) - scale * load(x_now + k);
    store(w + k, w0);
    a += load(x_next + k) * w0;
  }
  double tail = 0.0;
  for (; k < p; ++k) {
    w[k] -= scale * x_now[k];
    tail += x_next[k] * w[k];
  }
  return lane_sum(a, b, c, d) + tail;
}

}  // namespace

IterativeFit gradient_descent(const ConstMatrixRef& X, const ConstVectorRef& y, const ConstMatrixRef& X_val,
                              const ConstVectorRef& y_val, const IterativeOptions& options) {
  const Eigen::Index n = X.rows(), p = X.cols();
  const double nd = static_cast<double>(n), pd = static_cast<double>(p);
  IterativeFit fit;
  EpochMonitor monitor(X, y, X_val, y_val, options, fit);
  Eigen::VectorXd w = Eigen::VectorXd::Zero(p), previous(p), gradient(p);
  Eigen::VectorXd residual = -y;
  for (std::int64_t epoch = 0; epoch < options.epochs; ++epoch) {
    common::throw_if_cancelled();
    previous = w;
    gradient.noalias() = X.transpose() * residual;
    gradient /= nd;
    w -= options.step * gradient;
    residual.noalias() = X * w;
    residual -= y;
    // X'r + scaling (2np + p), update (2p), new residual (2np + n).
    fit.flops += 4.0 * nd * pd + 3.0 * pd + nd;
    if (!monitor.record(epoch, w, previous)) break;
    if (options.tol > 0 && gradient.lpNorm<Eigen::Infinity>() <= options.tol) break;
  }
  monitor.finish(w);
  return fit;
}

// Long epochs also check for cancellation every 4096 steps.
constexpr std::int64_t kCancelCheckSteps = 4095;

IterativeFit sgd(const ConstMatrixRef& X, const ConstVectorRef& y, const ConstMatrixRef& X_val,
                 const ConstVectorRef& y_val, const IterativeOptions& options) {
  const Eigen::Index n = X.rows(), p = X.cols();
  const double pd = static_cast<double>(p);
  const std::int64_t batch = options.batch;
  const std::int64_t steps = (static_cast<std::int64_t>(n) + batch - 1) / batch;
  const double scaled_step = options.step / static_cast<double>(batch);
  const double step_flops = static_cast<double>(batch) * (4.0 * pd + 1.0) + 2.0 * pd + 1.0;
  IterativeFit fit;
  EpochMonitor monitor(X, y, X_val, y_val, options, fit);
  common::RandomStream stream(options.seed, options.stream, options.start);
  const auto draw_row = [&]() { return static_cast<Eigen::Index>(stream.below(static_cast<std::uint64_t>(n))); };
  const double* rows = X.data();
  const Eigen::Index stride = X.outerStride();
  Eigen::VectorXd w = Eigen::VectorXd::Zero(p), previous(p), gradient(p);
  std::vector<const double*> batch_rows(static_cast<std::size_t>(batch));
  std::vector<double> batch_residuals(static_cast<std::size_t>(batch));
  // Batch 1: the row of step t + 1 is drawn during step t (the stream is counter-based, so
  // drawing one row past the last step changes nothing) and its inner product with the
  // updated w is taken in the same pass as the update.
  Eigen::Index row = batch == 1 ? draw_row() : 0;
  double inner = batch == 1 ? row_dot(rows + row * stride, w.data(), p) : 0.0;
  for (std::int64_t epoch = 0; epoch < options.epochs; ++epoch) {
    common::throw_if_cancelled();
    previous = w;
    for (std::int64_t step = 0; step < steps; ++step) {
      if ((step & kCancelCheckSteps) == kCancelCheckSteps) common::throw_if_cancelled();
      if (batch == 1) {
        const Eigen::Index next = draw_row();
        const double scale = scaled_step * (inner - y(row));
        inner = row_update_then_dot(scale, rows + row * stride, rows + next * stride, w.data(), p);
        row = next;
        continue;
      }
      // Residuals of the batch's rows (independent inner products), then the gradient
      // sum_b r_b x_b four rows per pass.
      for (std::int64_t b = 0; b < batch; ++b) {
        const Eigen::Index i = draw_row();
        batch_rows[static_cast<std::size_t>(b)] = rows + i * stride;
        batch_residuals[static_cast<std::size_t>(b)] = row_dot(rows + i * stride, w.data(), p) - y(i);
      }
      gradient.setZero();
      std::int64_t b = 0;
      for (; b + 4 <= batch; b += 4) {
        four_row_axpy(&batch_residuals[static_cast<std::size_t>(b)], &batch_rows[static_cast<std::size_t>(b)],
                      gradient.data(), p);
      }
      for (; b < batch; ++b) {
        row_axpy(batch_residuals[static_cast<std::size_t>(b)], batch_rows[static_cast<std::size_t>(b)],
                 gradient.data(), p);
      }
      w.noalias() -= scaled_step * gradient;
    }
    fit.flops += static_cast<double>(steps) * step_flops;
    if (!monitor.record(epoch, w, previous)) break;
  }
  monitor.finish(w);
  return fit;
}

}  // namespace computelimits::simulate
