"""Closed forms derived from a fitted L(N, D) = E + A / N^alpha + B / D^beta.

Every function takes parameter rows theta = (a, b, e, alpha, beta) with A = e^a,
B = e^b, E = e^e (shape (m, 5); one row for the point estimate, one per bootstrap
resample) and returns one value per row (or an (m, q) array for q inputs).
Quantities that can overflow a float are returned as log10.

Compute-optimal allocation (Hoffmann et al. 2022, sec. 3.3): with
C = k N D (k FLOP per token and parameter, 6 by default), minimizing L(N, C / (k N))
over N gives

    N*(C) = G (C / k)^(beta / (alpha + beta)),   D*(C) = G^-1 (C / k)^(alpha / (alpha + beta)),
    G = (alpha A / (beta B))^(1 / (alpha + beta)),

and, since both reducible terms then scale alike,

    L*(C) = E + K (C / k)^-gamma,   gamma = alpha beta / (alpha + beta),   K = A G^-alpha + B G^beta,

so the compute whose optimal loss is L is C = k (K / (L - E))^(1 / gamma) (none when L <= E)
and D* / N* = G^-2 (C / k)^((alpha - beta) / (alpha + beta)). They need alpha > 0 and beta > 0.
"""

from __future__ import annotations

import numpy as np

LN10 = float(np.log(10.0))
NAMES = ("a", "b", "e", "alpha", "beta")


def rows(theta) -> np.ndarray:
    """theta as a float (m, 5) array."""
    return np.atleast_2d(np.asarray(theta, dtype=np.float64))


def positive_exponents(theta) -> np.ndarray:
    """True where alpha > 0 and beta > 0 (the loss falls with both N and D)."""
    theta = rows(theta)
    return (theta[:, 3] > 0) & (theta[:, 4] > 0)


def log_loss(theta, log_params, log_tokens) -> np.ndarray:
    """ln L(N, D) = LSE(a - alpha ln N, b - beta ln D, e): (m, q) for q points."""
    theta = rows(theta)
    a, b, e, alpha, beta = (theta[:, [k]] for k in range(5))
    terms = np.stack(
        np.broadcast_arrays(a - alpha * log_params[None, :], b - beta * log_tokens[None, :], e + 0.0 * log_params)
    )
    top = terms.max(axis=0)
    return top + np.log(np.exp(terms - top).sum(axis=0))


def allocation_exponents(theta):
    """(beta / (alpha + beta), alpha / (alpha + beta), alpha beta / (alpha + beta)) per row:
    the exponents of N*, D* and of the reducible optimal loss in C."""
    theta = rows(theta)
    alpha, beta = theta[:, 3], theta[:, 4]
    with np.errstate(divide="ignore", invalid="ignore"):
        total = alpha + beta
        return beta / total, alpha / total, alpha * beta / total


def log_g(theta) -> np.ndarray:
    """ln G = (ln alpha + a - ln beta - b) / (alpha + beta); NaN unless alpha, beta > 0."""
    theta = rows(theta)
    a, b, alpha, beta = theta[:, 0], theta[:, 1], theta[:, 3], theta[:, 4]
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.log(alpha) + a - np.log(beta) - b) / (alpha + beta)


def log_k(theta) -> np.ndarray:
    """ln K = ln(A G^-alpha + B G^beta)."""
    theta = rows(theta)
    g = log_g(theta)
    with np.errstate(invalid="ignore"):
        return np.logaddexp(theta[:, 0] - theta[:, 3] * g, theta[:, 1] + theta[:, 4] * g)


def log10_optimal_params(theta, log_compute_over_k) -> np.ndarray:
    """log10 N*(C), (m, q), from ln(C / k) (q,)."""
    params_exponent, _, _ = allocation_exponents(theta)
    return (log_g(theta)[:, None] + params_exponent[:, None] * log_compute_over_k[None, :]) / LN10


def log10_optimal_tokens(theta, log_compute_over_k) -> np.ndarray:
    """log10 D*(C), (m, q)."""
    _, tokens_exponent, _ = allocation_exponents(theta)
    return (-log_g(theta)[:, None] + tokens_exponent[:, None] * log_compute_over_k[None, :]) / LN10


def log_optimal_loss(theta, log_compute_over_k) -> np.ndarray:
    """ln L*(C) = ln(E + K (C / k)^-gamma), (m, q)."""
    theta = rows(theta)
    _, _, gamma = allocation_exponents(theta)
    with np.errstate(invalid="ignore"):
        reducible = log_k(theta)[:, None] - gamma[:, None] * log_compute_over_k[None, :]
        return np.logaddexp(theta[:, [2]], reducible)


def log10_compute_for_loss(theta, target_loss, flop_per_token_param) -> np.ndarray:
    """log10 C with L*(C) = target, (m, q); +inf where target <= E (no compute reaches it)."""
    theta = rows(theta)
    _, _, gamma = allocation_exponents(theta)
    gap = target_loss[None, :] - np.exp(theta[:, [2]])
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.log10(flop_per_token_param) + (log_k(theta)[:, None] - np.log(gap)) / (gamma[:, None] * LN10)
    return np.where(gap > 0, value, np.inf)
