// Full-batch gradient descent and mini-batch SGD on (1/2n)||y - X w||^2 from w = 0.
#include <cmath>
#include <limits>
#include <vector>

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
    train_.reserve(static_cast<std::size_t>(options.epochs));
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
  Eigen::VectorXd w = Eigen::VectorXd::Zero(p), previous(p), gradient(p);
  for (std::int64_t epoch = 0; epoch < options.epochs; ++epoch) {
    previous = w;
    for (std::int64_t step = 0; step < steps; ++step) {
      if (batch == 1) {
        const Eigen::Index i = static_cast<Eigen::Index>(stream.below(static_cast<std::uint64_t>(n)));
        const double residual = X.row(i).dot(w) - y(i);
        w.noalias() -= (scaled_step * residual) * X.row(i).transpose();
        continue;
      }
      gradient.setZero();
      for (std::int64_t b = 0; b < batch; ++b) {
        const Eigen::Index i = static_cast<Eigen::Index>(stream.below(static_cast<std::uint64_t>(n)));
        const double residual = X.row(i).dot(w) - y(i);
        gradient.noalias() += residual * X.row(i).transpose();
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
