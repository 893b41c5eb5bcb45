"""Leave-one-out (jackknife) statistics of an OLS fit: the coefficients and R^2 without each row.

Closed forms of deleting row i (Belsley, Kuh and Welsch 1980, eq. 2.1), O(n p^2); they feed the
BCa acceleration of ``fit.bootstrap_fit`` (Efron 1987) and its R^2 interval.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _validation
from ..exceptions import LeaveOneOutWarning
from . import _numpy_twin
from .intervals import _range_exponents, warn_out_of_range
from .ols import OLSResult


def jackknife_coefficients(fit: OLSResult, backend: str = "cpp", threads=None) -> np.ndarray:
    """(n, p) leave-one-out coefficients b_(i) = b - (X'X)^-1 x_i r_i / (1 - h_ii) of an OLS fit.

    The closed form of deleting row i (Belsley, Kuh and Welsch 1980, eq. 2.1), O(n p^2);
    these feed the BCa acceleration of ``bootstrap_fit``. A point of leverage h_ii = 1 alone
    determines a coefficient, so without it the fit is undetermined: its row is NaN, with a
    ``LeaveOneOutWarning``.

    Parameters
    ----------
    fit : OLSResult
        The fit.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.
    threads : int, optional
        Worker threads (default every core).

    Returns
    -------
    numpy.ndarray
        Row i: the coefficients without observation i.

    Examples
    --------
    >>> from computelimits import fit
    >>> result = fit.ols([1.0, 2.0, 3.0, 4.0], [1.1, 1.9, 3.2, 3.9])
    >>> fit.jackknife_coefficients(result).round(4) + 0.0  # row 0 = the fit of rows 1-3 (+ 0.0: no -0.)
    array([[ 0.    ,  1.    ],
           [ 0.2   ,  0.95  ],
           [ 0.1   ,  0.9429],
           [-0.0333,  1.05  ]])
    """
    _validation.check_backend(backend)
    if not isinstance(fit, OLSResult):
        raise TypeError(f"fit must be an OLSResult (from fit.ols), got {type(fit).__name__}")
    rows = _leave_one_out(fit, backend, threads)
    warn_out_of_range(rows)
    if np.isnan(rows).any():
        index = int(np.flatnonzero(np.isnan(rows).any(axis=1))[0])
        message = f"point {index} has leverage 1: the fit without it is undetermined, so its row is NaN"
        warnings.warn(LeaveOneOutWarning(message), stacklevel=2)
    return rows


def _leave_one_out(fit: OLSResult, backend: str, threads) -> np.ndarray:
    if backend == "numpy":
        with np.errstate(over="ignore", invalid="ignore"):  # +-inf near float64's limit: warned by the callers
            return _numpy_twin.ols_jackknife(fit.design, fit.params, fit.cov_unscaled, fit.resid, fit.leverage)
    from .. import _core

    return _core.fit.ols_jackknife(
        fit.design, fit.params, fit.cov_unscaled, fit.resid, fit.leverage, _validation.resolve_threads(threads)
    )


def jackknife_rsquared(fit: OLSResult) -> np.ndarray:
    """Leave-one-out R^2: RSS_(i) = RSS - r_i^2 / (1 - h_ii); TSS_(i) = TSS - n/(n-1) (y_i - ybar)^2
    (centred) or TSS - y_i^2 (uncentred); y beyond [2^-300, 2^300] scaled by a power of two (R^2 is scale-free)."""
    exponent = int(_range_exponents(fit.response))
    y, resid, n = np.ldexp(fit.response, -exponent), np.ldexp(fit.resid, -exponent), fit.nobs
    with np.errstate(divide="ignore", invalid="ignore"):
        rss = (fit.ssr if exponent == 0 else np.sum(resid**2)) - resid**2 / (1.0 - fit.leverage)
        if fit.intercept:
            tss = np.sum((y - y.mean()) ** 2) - n / (n - 1.0) * (y - y.mean()) ** 2
        else:
            tss = np.sum(y**2) - y**2
        return 1.0 - rss / tss
