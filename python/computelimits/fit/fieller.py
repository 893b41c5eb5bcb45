"""Fieller's confidence set for a ratio of two (jointly normal) estimates.

For theta = N / D with estimates N, D, variances v_NN, v_DD and covariance v_ND,
Fieller (1954, "Some problems in interval estimation", J. R. Stat. Soc. B 16,
175-185) takes every theta for which N - theta D is not significantly different
from zero:

    (N - theta D)^2 <= q^2 (v_NN - 2 theta v_ND + theta^2 v_DD),

q the two-sided Student t quantile t_{df, (1 + level)/2}. With
A = D^2 - q^2 v_DD, B = N D - q^2 v_ND, C = N^2 - q^2 v_NN and Delta = B^2 - A C:

- A > 0 (D significantly non-zero): the bounded interval [(B - sqrt Delta)/A, (B + sqrt Delta)/A];
- A < 0 and Delta > 0: the complement of an interval, (-inf, r1] U [r2, inf) with
  r1 < r2 the two roots ("exclusive": the ratio is two-sided infinite);
- A < 0 and Delta <= 0, or A = 0: the whole real line ("unbounded"; A = 0 exactly
  gives a half-line, reported as unbounded too, with its finite end kept).

The set is exact for normal errors, unlike the delta method's theta +- q se, which it
approaches when D / se(D) is large. ``inverse_prediction_interval`` applies it to the
paper's inverse prediction log10 C* = (f(target) - a - c year) / b of an OLS fit.
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple, Optional

import numpy as np

from .. import _validation

KINDS = ("bounded", "exclusive", "unbounded")


class FiellerInterval(NamedTuple):
    """A confidence set for a ratio: ``kind`` says how to read (low, high).

    - ``"bounded"``: the interval [low, high];
    - ``"exclusive"``: everything outside (low, high): (-inf, low] U [high, inf);
    - ``"unbounded"``: the whole line (low = -inf, high = inf), or a half-line when one end is finite.
    """

    low: float
    high: float
    kind: str

    @property
    def bounded(self) -> bool:
        return self.kind == "bounded"

    def map(self, function: Callable[[float], float]) -> FiellerInterval:
        """The interval of an increasing function of the ratio (ends mapped, kind kept)."""
        return FiellerInterval(function(self.low), function(self.high), self.kind)

    def describe(self, formatter: Callable[[float], str] = lambda v: f"{v:.4g}") -> str:
        """The set in words, e.g. "[1.2, 3.4]" or "unbounded: below 1.2 or above 3.4"."""
        if self.kind == "bounded":
            return f"[{formatter(self.low)}, {formatter(self.high)}]"
        if self.kind == "exclusive":
            return f"two-sided infinite: at most {formatter(self.low)} or at least {formatter(self.high)}"
        if math.isfinite(self.low):
            return f"unbounded above: at least {formatter(self.low)}"
        if math.isfinite(self.high):
            return f"unbounded below: at most {formatter(self.high)}"
        return "unbounded: the whole line"


def fieller_ratio(
    numerator: float,
    denominator: float,
    var_numerator: float,
    var_denominator: float,
    covariance: float,
    quantile: float,
) -> FiellerInterval:
    """Fieller's (1954) confidence set for a ratio N / D of jointly normal estimates.

    {theta : (N - theta D)^2 <= q^2 (v_NN - 2 theta v_ND + theta^2 v_DD)}: with
    A = D^2 - q^2 v_DD and the discriminant, the set is an interval (A > 0), the outside of
    an interval (A < 0 and a positive discriminant) or unbounded (module docstring).

    The set does not change when N, D and q sqrt(v) are divided by one power of two, so A, B, C
    are formed from inputs scaled to at most 1 (no overflow of D^2 at D = 1e160); an end beyond
    float64 (a ratio near 1e308 or more) raises OverflowError naming numerator and denominator.

    Parameters
    ----------
    numerator, denominator : float
        N and D.
    var_numerator, var_denominator : float
        Var(N) and Var(D) (>= 0).
    covariance : float
        Cov(N, D).
    quantile : float
        q, e.g. t_{df, (1 + level)/2} or 1.96 (> 0).

    Returns
    -------
    FiellerInterval
        ``(low, high, kind)`` with kind "bounded", "exclusive" or "unbounded".

    Examples
    --------
    >>> from computelimits import fit
    >>> fit.fieller_ratio(2.0, 4.0, 0.01, 0.04, 0.0, 1.96)
    FiellerInterval(low=0.43504..., high=0.57464..., kind='bounded')
    >>> fit.fieller_ratio(2.0, 0.1, 0.01, 0.04, 0.0, 1.96).kind  # D not told from 0: outside an interval
    'exclusive'
    >>> fit.fieller_ratio(0.1, 0.1, 0.04, 0.04, 0.0, 1.96).kind  # neither N nor D told from 0
    'unbounded'
    """
    for name, value in (
        ("numerator", numerator),
        ("denominator", denominator),
        ("var_numerator", var_numerator),
        ("var_denominator", var_denominator),
        ("covariance", covariance),
        ("quantile", quantile),
    ):
        _validation.check_real(name, value)
    if var_numerator < 0 or var_denominator < 0:
        raise ValueError(f"var_numerator and var_denominator must be >= 0, got {var_numerator} and {var_denominator}")
    if quantile <= 0:
        raise ValueError(f"quantile must be > 0, got {quantile}")
    # Scale by 2^-E, E the largest binary exponent of |N|, |D| and q sqrt(|v|) (each formed as
    # exponents, so q sqrt(v) itself never overflows): every scaled term is at most 1 in size.
    q_mantissa, q_exponent = math.frexp(quantile)
    spreads = [math.sqrt(abs(v)) for v in (var_numerator, var_denominator, covariance)]
    exponents = [math.frexp(v)[1] for v in (numerator, denominator) if v] + [
        q_exponent + math.frexp(s)[1] for s in spreads if s
    ]
    top = max(exponents, default=0)
    n, d = math.ldexp(numerator, -top), math.ldexp(denominator, -top)
    v_nn, v_dd, v_nd = (
        q_mantissa * q_mantissa * math.ldexp(v, 2 * (q_exponent - top))
        for v in (var_numerator, var_denominator, covariance)
    )
    if d == 0.0 and v_dd == 0.0 and (denominator != 0.0 or var_denominator != 0.0):
        # D and q sqrt(v_DD) are both below 2^-1074 of the largest term: the sign of A is lost, and
        # any end of the set lies beyond float64
        raise _beyond_range(numerator / denominator if denominator else math.inf)
    a = d * d - v_dd
    b = n * d - v_nd
    c = n * n - v_nn
    delta = b * b - a * c
    if a > 0:
        root = math.sqrt(max(delta, 0.0))  # delta >= 0 when a > 0; max() guards rounding
        return _finite(FiellerInterval((b - root) / a, (b + root) / a, "bounded"))
    if a < 0 and delta > 0:
        root = math.sqrt(delta)
        first, second = sorted(((b - root) / a, (b + root) / a))
        return _finite(FiellerInterval(first, second, "exclusive"))
    if a == 0 and b != 0:  # linear: -2 theta b + c <= 0
        end = c / (2.0 * b)
        return FiellerInterval(end, math.inf, "unbounded") if b > 0 else FiellerInterval(-math.inf, end, "unbounded")
    return FiellerInterval(-math.inf, math.inf, "unbounded")


def _beyond_range(end: float) -> OverflowError:
    return OverflowError(
        f"Fieller's set for numerator / denominator has an end beyond float64 (about {end:g}): "
        "the ratio of the estimates is too large to represent"
    )


def _finite(interval: FiellerInterval) -> FiellerInterval:
    for end in interval[:2]:
        if not math.isfinite(end):
            raise _beyond_range(end)
    return interval


def t_quantile(df_resid: int, confidence_level: float) -> float:
    """Two-sided Student t quantile t_{df, (1 + level)/2}."""
    from scipy import special

    level = _validation.check_real("confidence_level", confidence_level, minimum=0.0, maximum=1.0, strict_minimum=True)
    if level >= 1.0:
        raise ValueError(f"confidence_level must be < 1, got {level}")
    return float(special.stdtrit(df_resid, 0.5 + level / 2.0))


def linear_ratio_interval(
    fit,
    constant: float,
    numerator_weights: np.ndarray,
    denominator_weights: np.ndarray,
    confidence_level: float = 0.95,
) -> FiellerInterval:
    """Fieller's set for (constant + g'beta) / (h'beta) of an ``OLSResult`` (covariance ``cov_params()``).

    N = constant + g'beta, D = h'beta, v_NN = g'Vg, v_DD = h'Vh, v_ND = g'Vh, q = t_{df_resid}.
    """
    cov = np.asarray(fit.cov_params(), dtype=float)
    g = np.asarray(numerator_weights, dtype=float)
    h = np.asarray(denominator_weights, dtype=float)
    params = np.asarray(fit.params, dtype=float)
    return fieller_ratio(
        float(constant + g @ params),
        float(h @ params),
        float(g @ cov @ g),
        float(h @ cov @ h),
        float(g @ cov @ h),
        t_quantile(fit.df_resid, confidence_level),
    )


def inverse_prediction_interval(
    fit, level: float, confidence_level: float = 0.95, year: Optional[float] = None
) -> FiellerInterval:
    """Fieller's set for x* = (level - a - c year) / b of an OLS fit with params [a, b(, c)].

    The inverse prediction of a straight-line fit: N = level - a - c year, D = b, with the
    fit's coefficient covariance and q = t_{df_resid, (1 + confidence_level)/2}.

    Parameters
    ----------
    fit : OLSResult
        A fit with coefficients [a, b] or [a, b, c].
    level : float
        f(target): log10(target) for the polynomial model, the target for the exponential.
    confidence_level : float, default 0.95
        The level of the set.
    year : float, optional
        The year of a fit with a year term.

    Returns
    -------
    FiellerInterval

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import fit
    >>> log10_compute = np.arange(18.0, 24.0)
    >>> error = 10 ** (0.8 - 0.05 * log10_compute + np.array([0.01, -0.02, 0.015, -0.01, 0.005, 0.0]))
    >>> result = fit.fit_compute_error(10**log10_compute, error)
    >>> fit.inverse_prediction_interval(result.fit, np.log10(0.05))  # log10 FLOP to reach 5% error
    FiellerInterval(low=38.518..., high=47.197..., kind='bounded')
    """
    p = len(fit.params)
    g = np.zeros(p)
    g[0] = -1.0
    if p > 2:
        if year is None:
            raise ValueError("a fit with a year term needs year, got None")
        g[2] = -float(year)
    h = np.zeros(p)
    h[1] = 1.0
    return linear_ratio_interval(fit, level, g, h, confidence_level)


def constant_over_slope_interval(fit, constant: float, confidence_level: float = 0.95) -> FiellerInterval:
    """Fieller's set for constant / b (b = params[1]), e.g. 12 / b months or -1 / b.

    With no variance in the numerator this is the t interval of b, [b_lo, b_hi], mapped
    through constant / b: bounded when 0 lies outside [b_lo, b_hi], exclusive when inside.
    """
    p = len(fit.params)
    h = np.zeros(p)
    h[1] = 1.0
    return linear_ratio_interval(fit, constant, np.zeros(p), h, confidence_level)
