"""numpy twins of the C++ estimators (cpp/src/simulate/estimators.cpp, iterative.cpp).

Same algorithms, same FLOP accounting (see ``docs/simulate.md``); the linear algebra is
numpy's (LAPACK/BLAS), so estimates agree with the core to rounding, not bit for bit.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _least_squares, _random


def gram_flops(n, p):
    """X'X for n x p X, symmetric half: p(p+1)/2 inner products of length n."""
    return n * p * (p + 1.0)


def cholesky_flops(m):
    return m**3 / 3.0 + m**2 / 2.0 + m / 6.0


def eigen_flops(m):
    return 9.0 * m**3


#: Beyond 2^256 (or below 2^-256) in magnitude Gram matrices can leave float64's range; the
#: data are then rescaled by powers of two (exact), as in the C++ core.
_SAFE_EXPONENT = 256


def _scaled(X, y, what):
    """(X 2^-e_x, y 2^-e_y, e_x, e_y) for extreme magnitudes, else (X, y, 0, 0); see the C++
    ``with_scaled_data``: power-of-two scaling commutes exactly with the arithmetic."""
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise ValueError(f"{what}: X and y must contain only finite values")
    x_exponent = _least_squares.binary_exponent(np.max(np.abs(X))) if X.size else 0
    y_exponent = _least_squares.binary_exponent(np.max(np.abs(y))) if y.size else 0
    if abs(x_exponent) <= _SAFE_EXPONENT and abs(y_exponent) <= _SAFE_EXPONENT:
        return X, y, 0, 0
    return np.ldexp(X, -x_exponent), np.ldexp(y, -y_exponent), x_exponent, y_exponent


def _unscale(coef, shift, what):
    """coef 2^shift; a coefficient outside float64's range raises OverflowError."""
    if shift == 0:
        return coef
    with np.errstate(over="ignore", under="ignore"):
        value = np.ldexp(coef, shift)
    bad = ~np.isfinite(value) | ((coef != 0) & (np.abs(value) < np.finfo(np.float64).tiny))
    if np.any(bad):
        j = int(np.flatnonzero(bad.ravel())[0])
        exponent = _least_squares.binary_exponent(coef.ravel()[j]) + shift
        raise OverflowError(f"{what}: coefficient {j} (about 2^{exponent}) is outside float64's range; rescale X or y")
    return value


def _cholesky(matrix, what):
    try:
        return np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        raise ValueError(f"{what}: matrix is not positive definite (rank-deficient design)") from None


def _cholesky_solve(matrix, rhs, what):
    factor = _cholesky(matrix, what)
    return np.linalg.solve(factor.T, np.linalg.solve(factor, rhs))


def ols_qr(X, y):
    """The shared least-squares core's twin (``computelimits._least_squares.solve``): (coef, FLOPs)."""
    solution = _least_squares.solve(X, y, count_flops=True)
    return solution["coef"], solution["flops"]


def ols_cholesky(X, y):
    n, p = X.shape
    X, y, x_exponent, y_exponent = _scaled(X, y, "ols_cholesky")
    coef = _cholesky_solve(X.T @ X, X.T @ y, "ols_cholesky: X'X")
    return _unscale(coef, y_exponent - x_exponent, "ols_cholesky"), (
        gram_flops(n, p) + 2.0 * n * p + cholesky_flops(p) + 2.0 * p * p
    )


def min_norm(X, y):
    n, p = X.shape
    X, y, x_exponent, y_exponent = _scaled(X, y, "min_norm")
    dual = _cholesky_solve(X @ X.T, y, "min_norm: X X'")
    coef = _unscale(X.T @ dual, y_exponent - x_exponent, "min_norm")
    return coef, gram_flops(p, n) + cholesky_flops(n) + 2.0 * n * n + 2.0 * n * p


def ridge_path(X, y, lambdas):
    n, p = X.shape
    X, y, x_exponent, y_exponent = _scaled(X, y, "ridge_path")
    primal = p <= n
    m = p if primal else n
    values, vectors = np.linalg.eigh(X.T @ X if primal else X @ X.T)
    flops = (gram_flops(n, p) if primal else gram_flops(p, n)) + eigen_flops(m)
    if primal:
        projected = vectors.T @ (X.T @ y)
        back = vectors
        flops += 2.0 * n * p + 2.0 * p * p
    else:
        projected = vectors.T @ y
        back = X.T @ vectors
        flops += 2.0 * n * n + 2.0 * n * n * p
    cutoff = max(values.max(), 0.0) * m * 1e-13
    coefs, cumulative = [], []
    for lam in lambdas:
        # X'X + n lambda I = 2^(2 e_x) (S'S + n lambda 2^(-2 e_x) I), S = X 2^-e_x
        denominator = values + np.ldexp(n * lam, -2 * x_exponent)
        filtered = np.where(denominator > cutoff, projected / np.where(denominator > cutoff, denominator, 1.0), 0.0)
        coefs.append(back @ filtered)
        flops += 2.0 * m + 2.0 * m * p
        cumulative.append(flops)
    coef = _unscale(np.array(coefs).reshape(len(lambdas), p), y_exponent - x_exponent, "ridge_path")
    return coef, np.array(cumulative)


def lasso_gram_solve(gram, c, n, alpha, w, tol, max_sweeps, counters):
    """Active-set coordinate descent on the Gram matrix (the C++ lasso_gram_solve)."""
    p = gram.shape[0]
    threshold = n * alpha
    diagonal = np.diag(gram).copy()

    def kkt(gram_w):
        gradient = (c - gram_w) / n
        violation = np.where(w != 0, np.abs(gradient - np.copysign(alpha, w)), np.maximum(np.abs(gradient) - alpha, 0))
        counters["flops"] += 4.0 * p
        return float(violation.max()) if p else 0.0

    def refresh():
        nonzero = np.flatnonzero(w)
        counters["flops"] += 2.0 * p * nonzero.size
        return gram[:, nonzero] @ w[nonzero]

    gram_w = refresh()
    residual = kkt(gram_w)
    while residual > tol and counters["sweeps"] < max_sweeps:
        active = np.flatnonzero((w != 0) | (np.abs(c - gram_w) > threshold))
        counters["flops"] += 2.0 * p
        while True:
            largest = 0.0
            for j in active:
                d = diagonal[j]
                if not d > 0:
                    continue
                z = c[j] - gram_w[j] + d * w[j]
                magnitude = abs(z) - threshold
                updated = math.copysign(magnitude, z) / d if magnitude > 0 else 0.0
                delta = updated - w[j]
                counters["flops"] += 6.0
                if delta != 0.0:
                    gram_w += delta * gram[:, j]
                    w[j] = updated
                    counters["flops"] += 2.0 * p
                    largest = max(largest, abs(delta) * d / n)
            counters["sweeps"] += 1
            if not (largest > 0.1 * tol and counters["sweeps"] < max_sweeps):
                break
        gram_w = refresh()
        residual = kkt(gram_w)
    return residual


def lasso_path(X, y, alphas, tol, max_sweeps):
    """Warm-started lasso path; extreme magnitudes are rescaled as in the C++ core (alpha, tol and
    the KKT residual by 2^-(e_x + e_y), coefficients by 2^(e_y - e_x))."""
    n, p = X.shape
    X, y, x_exponent, y_exponent = _scaled(X, y, "lasso_path")
    gradient_exponent = x_exponent + y_exponent
    gram, c = X.T @ X, X.T @ y
    counters = {"flops": gram_flops(n, p) + 2.0 * n * p, "sweeps": 0}
    w = np.zeros(p)
    coefs, flops, kkts, sweeps = [], [], [], []
    for alpha in alphas:
        counters["sweeps"] = 0
        scaled_alpha, scaled_tol = math.ldexp(float(alpha), -gradient_exponent), math.ldexp(tol, -gradient_exponent)
        kkt = lasso_gram_solve(gram, c, float(n), scaled_alpha, w, scaled_tol, max_sweeps, counters)
        kkts.append(math.ldexp(kkt, gradient_exponent))
        coefs.append(w.copy())
        flops.append(counters["flops"])
        sweeps.append(counters["sweeps"])
    coef = _unscale(np.array(coefs).reshape(len(alphas), p), y_exponent - x_exponent, "lasso_path")
    return coef, np.array(flops), np.array(kkts), np.array(sweeps, dtype=float)


class _Monitor:
    """Training loss, divergence and early stopping after each epoch (the C++ EpochMonitor)."""

    def __init__(self, X, y, X_val, y_val, patience, track_loss=True):
        self.X, self.y, self.X_val, self.y_val, self.patience = X, y, X_val, y_val, patience
        self.track_loss = track_loss
        with np.errstate(over="ignore"):  # an inf start (|y| near 1e154 or more): see record()
            self.initial = 0.5 * float(y @ y) / y.size
        self.train, self.validation = [], []
        self.best, self.best_value, self.best_epoch = None, math.inf, 0
        self.epochs_run, self.diverged = 0, False

    def record(self, epoch, w, previous):
        if not self.track_loss:
            self.epochs_run = epoch + 1
            if not float(w @ w) < 1e200:
                self.diverged, self.epochs_run = True, epoch
                w[:] = previous
                return False
            return True
        r = self.X @ w - self.y
        loss = 0.5 * float(r @ r) / self.y.size
        self.epochs_run = epoch + 1
        if not math.isfinite(loss) or loss > 1e100 * max(self.initial, 1e-300):
            self.diverged, self.epochs_run = True, epoch
            w[:] = previous
            return False
        self.train.append(loss)
        if self.X_val.shape[0] == 0:
            self.best, self.best_epoch = w.copy(), epoch + 1
            return True
        r = self.X_val @ w - self.y_val
        held_out = float(r @ r) / self.y_val.size
        self.validation.append(held_out)
        if held_out < self.best_value:
            self.best_value, self.best, self.best_epoch = held_out, w.copy(), epoch + 1
        return not (self.patience > 0 and epoch + 1 - self.best_epoch >= self.patience)

    def result(self, w, flops):
        coef = w if (self.X_val.shape[0] == 0 or self.best is None) else self.best
        return {
            "coef": coef.copy(),
            "flops": flops,
            "epochs_run": self.epochs_run,
            "best_epoch": self.best_epoch,
            "diverged": self.diverged,
            "train_loss": np.array(self.train),
            "validation_loss": np.array(self.validation),
        }


def gradient_descent(X, y, X_val, y_val, step, epochs, tol, patience):
    n, p = X.shape
    monitor = _Monitor(X, y, X_val, y_val, patience)
    w = np.zeros(p)
    residual = -y.copy()
    flops = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            previous = w.copy()
            gradient = (X.T @ residual) / n
            w -= step * gradient
            residual = X @ w - y
            flops += 4.0 * n * p + 3.0 * p + n
            if not monitor.record(epoch, w, previous):
                break
            if tol > 0 and np.max(np.abs(gradient)) <= tol:
                break
    return monitor.result(w, flops)


def sgd(X, y, X_val, y_val, step, batch, epochs, patience, seed, stream, start, on_epoch=None, track_loss=True):
    """Mini-batch SGD with indices floor(u n) from stream (seed, stream), draw start+1 on."""
    n, p = X.shape
    steps = -(-n // batch)
    monitor = _Monitor(X, y, X_val, y_val, patience, track_loss)
    w = np.zeros(p)
    scaled_step = step / batch
    step_flops = batch * (4.0 * p + 1.0) + 2.0 * p + 1.0
    flops = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            indices = _random.below_matrix(seed, stream, 1, start + epoch * steps * batch, steps * batch, n)[0]
            previous = w.copy()
            if batch == 1:
                for i in indices:
                    row = X[i]
                    w -= (scaled_step * (row @ w - y[i])) * row
            else:
                for block in indices.reshape(steps, batch):
                    rows = X[block]
                    w -= scaled_step * (rows.T @ (rows @ w - y[block]))
            flops += steps * step_flops
            if not monitor.record(epoch, w, previous):
                break
            if on_epoch is not None:
                on_epoch(epoch, w)
    return monitor.result(w, flops)
