"""Ordinary least squares by Householder QR: ``ols(X, y)``, a statsmodels-like result.

Formulas (Greene, Econometric Analysis, ch. 4; the NIST StRD conventions):
b = argmin ||y - X b||^2 solved by QR; s^2 = RSS / (n - p) (``scale``);
cov = s^2 (X'X)^-1; bse = sqrt(diag cov); t = b / bse; CI b +- t_{1-alpha/2, n-p} bse;
R^2 = 1 - RSS / TSS with TSS centred about mean(y) when the model has an
intercept and uncentred (sum y^2) without one, as NIST and statsmodels do;
adjusted R^2 = 1 - (n - k0) / (n - p) (1 - R^2), k0 = 1 with an intercept else 0.

The fit is the shared least-squares core (``computelimits._least_squares``, C++
``common/least_squares.hpp``): columns and y equilibrated by powers of two, pivoted QR,
refinement with double-double defects. Quantities that scale with y^2 or 1/x^2 are formed
from its scaled outputs, so coefficients, standard errors, t, p and R^2 stay exact for data
of any magnitude; ``ssr``, ``scale``, ``cov_params`` and ``cov_unscaled`` are stored as
float64 (``cov_params()`` returns the stored array) and, when they fall outside its range, hold inf or 0 with a ``FloatRangeWarning``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Dict, Optional

import numpy as np

from .. import _least_squares, _validation
from ..exceptions import ConstantResponseWarning, ExactFitWarning, FloatRangeWarning
from . import _checks
from ._ols_result import OLSResult

_SMALLEST_NORMAL = np.finfo(np.float64).tiny


def qr_solution(
    design: np.ndarray, response: np.ndarray, backend: str, design_low: Optional[np.ndarray] = None
) -> dict:
    """The shared least-squares core's solution (coef, resid, leverage and the scaled RSS and
    covariance with their power-of-two exponents), from the C++ core or its numpy twin."""
    if backend == "numpy":
        return _least_squares.solve(design, response, design_low, covariance=True, leverage=True)
    from .. import _core

    return _core.fit.ols_qr(design, response, design_low)


def _ldexp(values, exponents) -> np.ndarray:
    with np.errstate(over="ignore", under="ignore"):
        return np.ldexp(values, exponents)


def _out_of_range(value: Any, scaled: Any) -> bool:
    """True when a value built from a nonzero scaled value overflowed or fell below the normal range."""
    value, scaled = np.asarray(value), np.asarray(scaled)
    return bool(np.any(~np.isfinite(value)) or np.any((scaled != 0) & (np.abs(value) < _SMALLEST_NORMAL)))


def _polynomial_design(name: str, x: np.ndarray, degree: int) -> tuple:
    """Columns x, x^2, ..., x^degree as (high, low) double-double parts, exact to ~u^2."""
    if x.shape[1] != 1:
        raise ValueError(f"{name} must be a single column with degree={degree}, got {x.shape[1]} columns")
    with np.errstate(over="ignore", invalid="ignore"):
        high, low = _least_squares.double_double_powers(x[:, 0], degree)
    if not (np.all(np.isfinite(high)) and np.all(np.isfinite(low))):
        raise OverflowError(f"{name}**{degree} overflows float64 (max |{name}| = {np.max(np.abs(x)):g})")
    return high, low


def _statistics(solution: dict, response: np.ndarray, intercept: bool, n: int, p: int) -> Dict[str, Any]:
    """Standard errors, R^2 and the sums of squares from the core's scaled outputs.

    With e_y, e_j the power-of-two exponents of y and column j, RSS = 2^(2 e_y) RSS_s and
    (X'X)^-1_jk = 2^-(e_j + e_k) C_jk, so bse_j = 2^(e_y - e_j) sqrt(C_jj RSS_s / (n - p)) and
    R^2 = 1 - RSS_s / TSS_s with TSS_s the total sum of squares of y 2^-e_y.
    """
    df_resid = n - p
    e_y = int(solution["response_exponent"])
    exponents = np.asarray(solution["column_exponents"], dtype=np.int64)
    scaled_rss = float(solution["scaled_rss"])
    covariance = np.asarray(solution["scaled_covariance"])
    scaled_variance = scaled_rss / df_resid
    scaled_sd = np.sqrt(scaled_variance)
    pair = -(exponents[:, None] + exponents[None, :])
    values = {
        "bse": _ldexp(np.sqrt(np.diag(covariance)) * scaled_sd, e_y - exponents),
        "residual_sd": float(_ldexp(scaled_sd, e_y)),
        "ssr": float(_ldexp(scaled_rss, 2 * e_y)),
        "scale": float(_ldexp(scaled_variance, 2 * e_y)),
        "cov_unscaled": _ldexp(covariance, pair),
        "cov_params": _ldexp(covariance * scaled_variance, pair + 2 * e_y),
    }
    lost = [
        name
        for name, scaled in (
            ("ssr", scaled_rss),
            ("scale", scaled_variance),
            ("cov_unscaled", covariance),
            ("cov_params", covariance * scaled_variance),
        )
        if _out_of_range(values[name], scaled)
    ]
    if lost:
        warnings.warn(
            FloatRangeWarning(
                f"{', '.join(lost)} lie outside float64's range for this data (y ~ 2^{e_y}, columns ~ "
                f"2^{exponents.tolist()}) and hold inf or 0; params, bse, tvalues, pvalues, residual_sd "
                "and R^2 are computed in scaled form and are exact"
            ),
            stacklevel=3,
        )
    scaled_response = np.ldexp(response, -e_y)
    if intercept:
        tss = float(np.sum((scaled_response - scaled_response.mean()) ** 2))
    else:
        tss = float(np.sum(scaled_response**2))
    if tss > 0:
        rsquared = 1.0 - scaled_rss / tss
        rsquared_adj = 1.0 - (n - int(intercept)) / df_resid * (1.0 - rsquared)
    else:
        warnings.warn(
            ConstantResponseWarning(
                f"y is {'constant' if intercept else 'all zero'} (every value is {float(response[0])!r}): the total sum "
                "of squares is 0, so rsquared and rsquared_adj are undefined (NaN)"
            ),
            stacklevel=3,
        )
        rsquared = rsquared_adj = float("nan")
    values.update(rsquared=rsquared, rsquared_adj=rsquared_adj)
    if scaled_rss == 0 and tss > 0:
        warnings.warn(
            ExactFitWarning(
                "y is fitted exactly (every residual is 0): bse are 0, so tvalues are infinite and pvalues 0"
            ),
            stacklevel=3,
        )
    return values


def ols(
    X: Any,
    y: Any,
    intercept: bool = True,
    backend: str = "cpp",
    names: Optional[Sequence[str]] = None,
    *,
    degree: Optional[int] = None,
) -> OLSResult:
    """Fit y = [1] X b + e by least squares (the shared QR-with-refinement core).

    ``X`` is (n,) or (n, k) without the constant column; ``intercept=True`` prepends
    a column of ones. With ``degree=d`` X is a single x and the design is
    [1,] x, x^2, ..., x^d with the powers formed in double-double arithmetic, so the fit
    is that of the exact powers of the data as given, not of their rounding to float64
    (NIST StRD Filip: 7.6 correct digits from float64 powers, ~14 from exact ones).
    Columns and y are equilibrated by powers of two, factored by column-pivoted QR and the
    solution refined with double-double defects (Björck 1996, sec. 2.9); see the module
    docstring for the statistics. A constant y gives R^2 = NaN with a
    ``ConstantResponseWarning`` (as statsmodels gives NaN).

    Parameters
    ----------
    X : array_like
        (n,) or (n, k) regressors, without the constant column.
    y : array_like
        (n,) response.
    intercept : bool, default True
        Prepend a column of ones.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.
    names : sequence of str, optional
        Coefficient names (default "const", "x1", ... or "x", "x^2", ... with ``degree``).
    degree : int, optional
        Fit a polynomial of this degree in the single column X.

    Returns
    -------
    OLSResult
        statsmodels' names: ``params``, ``bse``, ``tvalues``, ``pvalues``, ``rsquared``,
        ``cov_params()``, ``conf_int(alpha)``, ``predict(exog)``, ``summary()``.

    Examples
    --------
    >>> from computelimits import fit
    >>> result = fit.ols([1.0, 2.0, 3.0, 4.0], [1.1, 1.9, 3.2, 3.9])
    >>> result.params, result.bse
    (array([0.1 , 0.97]), array([0.2174, 0.0794]))
    >>> round(result.rsquared, 4)
    0.9868
    >>> fit.ols([1.0, 2.0, 3.0, 4.0, 5.0], [1.0, 4.1, 8.9, 16.2, 24.8], degree=2).params
    array([-0.16  ,  0.1843,  0.9643])
    """
    _validation.check_backend(backend)
    if not isinstance(intercept, (bool, np.bool_)):
        raise TypeError(f"intercept must be a bool, got {intercept!r}")
    predictors = _checks.as_design("X", X)
    response = _checks.as_vector("y", y)
    _checks.check_same_length("X", predictors, "y", response)
    low = None
    if degree is not None:
        degree = _validation.check_int("degree", degree, minimum=1, maximum=64)
        predictors, low = _polynomial_design("X", predictors, degree)
    design = np.column_stack([np.ones(len(response)), predictors]) if intercept else predictors
    if low is not None and intercept:
        low = np.column_stack([np.zeros(len(response)), low])
    n, p = design.shape
    if n <= p:
        raise ValueError(f"y needs more observations than parameters ({p}), got {n}")
    if intercept:
        for column in range(predictors.shape[1]):
            if np.all(predictors[:, column] == predictors[0, column]):
                raise ValueError(
                    f"X column {column} is constant (every value is {predictors[0, column]}); "
                    "it is collinear with the intercept"
                )
    try:
        solution = qr_solution(np.ascontiguousarray(design), response, backend, low)
    except (ValueError, OverflowError) as error:  # the core speaks of the design it was given
        where = "[1, X], column 0 the intercept's" if intercept else "X"
        raise type(error)(f"X: {error} (the design is {where})") from None
    if names is None:
        if degree is not None:
            terms = ["x"] + [f"x^{k}" for k in range(2, degree + 1)]
        else:
            terms = [f"x{k + 1}" for k in range(predictors.shape[1])]
        names = (["const"] if intercept else []) + terms
    names = tuple(str(v) for v in names)
    if len(names) != p:
        raise ValueError(f"names must have {p} entries, got {len(names)}")
    df_resid = n - p
    stats = _statistics(solution, response, bool(intercept), n, p)
    params = np.asarray(solution["coef"])
    bse = stats["bse"]
    with np.errstate(divide="ignore", invalid="ignore"):
        tvalues = params / bse
    from scipy import special

    pvalues = 2.0 * special.stdtr(df_resid, -np.abs(tvalues))
    resid = np.asarray(solution["resid"])
    with np.errstate(over="ignore"):  # y - e can leave float64's range when y is near its limit
        fittedvalues = response - resid
    if not np.all(np.isfinite(fittedvalues)):
        warnings.warn(
            FloatRangeWarning("fittedvalues lie outside float64's range for this data (y near 1.8e308) and hold inf"),
            stacklevel=2,
        )
    return OLSResult(
        names=names,
        params=params,
        bse=bse,
        tvalues=tvalues,
        pvalues=pvalues,
        rsquared=stats["rsquared"],
        rsquared_adj=stats["rsquared_adj"],
        scale=stats["scale"],
        residual_sd=stats["residual_sd"],
        ssr=stats["ssr"],
        df_resid=df_resid,
        nobs=n,
        intercept=bool(intercept),
        resid=resid,
        fittedvalues=fittedvalues,
        cov_params_array=stats["cov_params"],
        cov_unscaled=stats["cov_unscaled"],
        leverage=np.asarray(solution["leverage"]),
        design=design,
        response=response,
        degree=degree,
    )
