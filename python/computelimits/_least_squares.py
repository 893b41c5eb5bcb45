"""numpy twin of the shared least-squares core (cpp/src/common/least_squares.cpp).

Least squares by column-pivoted Householder QR (``scipy.linalg.qr(pivoting=True)``,
LAPACK dgeqp3, as Eigen's ColPivHouseholderQR) of the design equilibrated by powers of
two, then Björck's refinement of the augmented system [I A; A' 0][r; b] = [y; 0]
(Björck 1967; *Numerical Methods for Least Squares Problems*, 1996, sec. 2.9) with the
defects f = y - r - A b and g = -A'r accumulated in double-double arithmetic: products
split exactly (Dekker 1971; the C++ core uses fma), sums by TwoSum (Knuth), as Ogita, Rump
and Oishi's Dot2 (SIAM J. Sci. Comput. 26, 2005). f follows the C++ order term by term;
g sums each column by a pairwise TwoSum tree (errors summed apart), of the same accuracy.
See ``docs/fit.md`` for the steps, the outputs in scaled form and the FLOP count.

Used by ``fit.ols`` and ``simulate.estimators.ols`` with ``backend="numpy"``; the compiled
core is ``_core.fit.ols_qr`` / ``_core.simulate.ols_qr``.
"""

from __future__ import annotations

import math
from typing import Optional

import numpy as np

RANK_TOLERANCE = 1e-13
REFINE_COVARIANCE_ABOVE = 1e4
_DOT_FLOPS = 10.0
_SPLIT = 134217729.0  # 2^27 + 1, Veltkamp's splitting constant
_SMALLEST_NORMAL = np.finfo(np.float64).tiny


def binary_exponent(value: float) -> int:
    """The exponent e with |value| 2^-e in [1/2, 1) (``math.frexp``'s); 0 for 0 or non-finite."""
    value = float(value)
    if value == 0.0 or not math.isfinite(value):
        return 0
    return math.frexp(value)[1]


def _two_sum(a, b):
    """s = fl(a + b) and the exact error e = a + b - s (Knuth's TwoSum, six operations)."""
    s = a + b
    virtual = s - a
    return s, (a - (s - virtual)) + (b - virtual)


def _split(a):
    c = _SPLIT * a
    high = c - (c - a)
    return high, a - high


def two_product(a, b):
    """p = fl(a b) and the exact error a b - p (Dekker's TwoProduct by Veltkamp splitting)."""
    p = a * b
    a_high, a_low = _split(a)
    b_high, b_low = _split(b)
    return p, ((a_high * b_high - p) + a_high * b_low + a_low * b_high) + a_low * b_low


def accurate_sum(terms: np.ndarray) -> np.ndarray:
    """Sum over axis 0 with double-double accuracy: a pairwise tree of TwoSums whose errors are
    summed apart (error about u^2 log2(m) sum |terms| + u |sum|)."""
    terms = np.asarray(terms, dtype=np.float64)
    errors = np.zeros(terms.shape[1:])
    while terms.shape[0] > 1:
        if terms.shape[0] % 2:
            terms = np.concatenate([terms, np.zeros((1,) + terms.shape[1:])])
        terms, error = _two_sum(terms[0::2], terms[1::2])
        errors += error.sum(axis=0)
    return terms[0] + errors


def double_double_powers(x: np.ndarray, degree: int) -> tuple:
    """(high, low), each (n, degree): x^k = high[:, k-1] + low[:, k-1] to ~k u^2 relative,
    formed by repeated double-double times double products."""
    x = np.asarray(x, dtype=np.float64)
    high = np.empty((x.size, degree))
    low = np.empty((x.size, degree))
    h, lo = x.copy(), np.zeros_like(x)
    for k in range(degree):
        if k:
            product, error = two_product(h, x)
            error = error + lo * x
            h = product + error
            lo = error - (h - product)
        high[:, k], low[:, k] = h, lo
    return high, low


class _Problem:
    def __init__(self, design, low, response):
        self.design, self.low, self.response = design, low, response
        self.n, self.p = design.shape
        self.flops = 0.0

    def residual_defect(self, rhs_f, r, b):
        """f = rhs_f - r - A b, Dot2 term by term in the order of the C++ core."""
        n, p = self.n, self.p
        hi = np.zeros(n) if rhs_f is None else rhs_f.copy()
        hi, lo = _two_sum(hi, -r)
        for j in range(p):
            product, error = two_product(-self.design[:, j], np.full(n, b[j]))
            hi, add_error = _two_sum(hi, product)
            lo = lo + add_error + error
        if self.low is not None:
            lo = lo - self.low @ b
        self.flops += n * (_DOT_FLOPS * p + 8.0) + (2.0 * n * p if self.low is not None else 0.0)
        return hi + lo

    def normal_defect(self, rhs_g, r):
        """g = rhs_g - A'r, each column summed by ``accurate_sum``."""
        n, p = self.n, self.p
        product, error = two_product(self.design, -r[:, None])
        rows = [product, error]
        if self.low is not None:
            rows.append(self.low * -r[:, None])
        if rhs_g is not None:
            rows.append(rhs_g[None, :])
        self.flops += p * (_DOT_FLOPS * n + 1.0) + (2.0 * n * p if self.low is not None else 0.0)
        return accurate_sum(np.concatenate(rows))


def _refine(problem, q, upper, pivots, rhs_f, rhs_g, steps, r, b):
    from scipy.linalg import solve_triangular

    n, p = problem.n, problem.p
    for _ in range(steps):
        f = problem.residual_defect(rhs_f, r, b)
        g = problem.normal_defect(rhs_g, r)
        u = solve_triangular(upper, g[pivots], trans=1)
        head = q.T @ f
        step = np.empty(p)
        step[pivots] = solve_triangular(upper, head - u)
        r = r + q @ u + (f - q @ head)
        b = b + step
        problem.flops += 2.0 * (4.0 * n * p - 2.0 * p * p) + 2.0 * p * p + 2.0 * n + 3.0 * p
    return r, b


def _check_finite(name: str, values: np.ndarray) -> None:
    bad = ~np.isfinite(values)
    if np.any(bad):
        where = np.argwhere(bad)[0]
        row, col = int(where[0]), int(where[1]) if where.size > 1 else 0
        raise ValueError(f"{name} must be finite, got {values[tuple(where)]!r} at row {row}, column {col}")


def solve(
    design: np.ndarray,
    response: np.ndarray,
    design_low: Optional[np.ndarray] = None,
    *,
    refinements: int = 4,
    covariance: bool = False,
    leverage: bool = False,
    count_flops: bool = False,
) -> dict:
    """Twin of ``common::least_squares_qr``: a dict with ``coef``, ``resid``, ``scaled_resid``,
    ``scaled_rss``, ``response_exponent``, ``column_exponents``, ``scaled_covariance`` (p x p,
    with (X'X)^-1_jk = 2^-(e_j + e_k) C_jk), ``covariance_refined``, ``leverage``, ``flops``.
    Raises ValueError for bad shapes, non-finite values, zero columns or rank deficiency, and
    OverflowError/ValueError when a coefficient is beyond float64's range."""
    from scipy.linalg import qr, solve_triangular

    design = np.asarray(design, dtype=np.float64)
    response = np.asarray(response, dtype=np.float64)
    n, p = design.shape
    if p < 1:
        raise ValueError("design must have at least one column, got 0")
    if n < p:
        raise ValueError(f"design needs at least as many rows as columns, got n = {n} < p = {p}")
    if response.shape != (n,):
        raise ValueError(f"response must have one value per design row ({n}), got {response.size}")
    _check_finite("design", design)
    _check_finite("response", response[:, None])
    if design_low is not None:
        design_low = np.asarray(design_low, dtype=np.float64)
        _check_finite("design_low", design_low)

    largest = np.max(np.abs(design), axis=0)
    zero = np.flatnonzero(~(largest > 0))
    if zero.size:
        raise ValueError(f"design column {int(zero[0])} is all zero")
    exponents = np.empty(p, dtype=np.int64)
    for j in range(p):
        first = binary_exponent(largest[j])
        scaled = np.ldexp(design[:, j], -first)
        exponents[j] = first + binary_exponent(math.sqrt(float(scaled @ scaled)))
    scaled_design = np.ldexp(design, -exponents[None, :])
    scaled_low = None if design_low is None else np.ldexp(design_low, -exponents[None, :])
    response_exponent = binary_exponent(np.max(np.abs(response))) if n else 0
    scaled_response = np.ldexp(response, -response_exponent)
    problem = _Problem(scaled_design, scaled_low, scaled_response)
    problem.flops = 3.0 * n * p + 2.0 * n

    q, upper, pivots = qr(scaled_design, mode="economic", pivoting=True)
    diagonal = np.abs(np.diag(upper))
    if not np.all(diagonal > RANK_TOLERANCE * diagonal[0]):
        raise ValueError(
            "design is rank deficient (|R_kk| <= 1e-13 |R_00| in the pivoted QR of the "
            "equilibrated columns: collinear columns, e.g. a constant x)"
        )
    problem.flops += 2.0 * n * p * p - 2.0 * p**3 / 3.0
    b = np.empty(p)
    b[pivots] = solve_triangular(upper, q.T @ scaled_response)
    problem.flops += 4.0 * n * p - 2.0 * p * p + p * p
    r = problem.residual_defect(scaled_response, np.zeros(n), b)
    r, b = _refine(problem, q, upper, pivots, scaled_response, None, refinements, r, b)
    scaled_resid = problem.residual_defect(scaled_response, np.zeros(n), b)
    square, error = two_product(scaled_resid, scaled_resid)
    scaled_rss = float(accurate_sum(np.concatenate([square, error])[:, None])[0])
    problem.flops += _DOT_FLOPS * n + 1.0

    shifts = response_exponent - exponents
    with np.errstate(over="ignore", under="ignore"):
        coef = np.ldexp(b, shifts)
    for j in range(p):
        if not np.isfinite(coef[j]):
            raise OverflowError(
                f"coefficient {j} (about 2^{binary_exponent(b[j]) + int(shifts[j])}) overflows float64: "
                "rescale the design or the response"
            )
        if b[j] != 0.0 and abs(coef[j]) < _SMALLEST_NORMAL:
            raise ValueError(
                f"coefficient {j} (about 2^{binary_exponent(b[j]) + int(shifts[j])}) is below float64's normal "
                "range: rescale the design or the response"
            )
    out = {
        "coef": coef,
        "resid": np.ldexp(scaled_resid, response_exponent),
        "scaled_resid": scaled_resid,
        "scaled_rss": scaled_rss,
        "response_exponent": response_exponent,
        "column_exponents": exponents,
        "scaled_covariance": np.zeros((0, 0)),
        "covariance_refined": False,
        "leverage": np.zeros(0),
        "flops": 0.0,
    }
    if covariance:
        inverse = solve_triangular(upper, np.eye(p))
        scaled_covariance = np.empty((p, p))
        scaled_covariance[np.ix_(pivots, pivots)] = inverse @ inverse.T
        problem.flops += float(p) ** 3
        if diagonal[0] / diagonal[-1] > REFINE_COVARIANCE_ABOVE and refinements > 0:
            for j in range(p):
                unit = np.zeros(p)
                unit[j] = 1.0
                c = -scaled_covariance[:, j]
                residual = q @ solve_triangular(upper, unit[pivots], trans=1)
                _, c = _refine(problem, q, upper, pivots, None, unit, refinements, residual, c)
                scaled_covariance[:, j] = -c
            scaled_covariance = 0.5 * (scaled_covariance + scaled_covariance.T)
            out["covariance_refined"] = True
            problem.flops += 4.0 * n * p * p - 4.0 * p**3 / 3.0 + p * (2.0 * n * p + p * p)
        out["scaled_covariance"] = scaled_covariance
    if leverage:
        out["leverage"] = np.sum(q * q, axis=1)
        problem.flops += 4.0 * n * p * p - 4.0 * p**3 / 3.0 + 2.0 * n * p
    out["flops"] = problem.flops if count_flops else 0.0
    return out
