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
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import numpy as np

from .. import _least_squares, _validation
from .._confidence import check_confidence_level
from .._deprecation import array_method
from .._display import Display, ResultDisplay, Summary
from ..exceptions import ConstantResponseWarning, ExactFitWarning, FloatRangeWarning
from . import _checks

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


@dataclass(frozen=True, repr=False)
class OLSResult(ResultDisplay):
    """An OLS fit; names follow statsmodels' RegressionResults.

    Attributes ``params``, ``bse``, ``tvalues``, ``pvalues``, ``rsquared``, ``rsquared_adj``,
    ``scale`` (s^2), ``ssr``, ``df_resid``, ``nobs``, ``resid``, ``fittedvalues`` and
    ``cov_unscaled`` ((X'X)^-1, statsmodels' ``normalized_cov_params``) as in statsmodels;
    ``cov_params()`` and ``conf_int(alpha)`` are methods with statsmodels' signatures.
    ``cov_params_array`` holds s^2 (X'X)^-1 as computed by the fit (``cov_params()`` returns
    it); using ``cov_params`` as an array, as before, still works with a DeprecationWarning.
    """

    names: tuple
    params: np.ndarray
    bse: np.ndarray
    tvalues: np.ndarray
    pvalues: np.ndarray
    rsquared: float
    rsquared_adj: float
    scale: float
    residual_sd: float
    ssr: float
    df_resid: int
    nobs: int
    intercept: bool
    resid: np.ndarray = field(compare=False)
    fittedvalues: np.ndarray = field(compare=False)
    cov_params_array: np.ndarray = field(compare=False)
    cov_unscaled: np.ndarray = field(compare=False)
    leverage: np.ndarray = field(compare=False)
    design: np.ndarray = field(compare=False)
    response: np.ndarray = field(compare=False)
    degree: Optional[int] = None

    @array_method("cov_params_array")
    def cov_params(
        self,
        r_matrix: Any = None,
        column: Any = None,
        scale: Optional[float] = None,
        cov_p: Any = None,
        other: Any = None,
    ) -> np.ndarray:
        """The covariance matrix of the coefficients, or of linear combinations of them.

        statsmodels' ``RegressionResults.cov_params``, with the same arguments and results.
        With C = ``cov_p`` (default s^2 (X'X)^-1, or ``scale`` (X'X)^-1 when ``scale`` is given):

        - no argument: C;
        - ``column`` (an index, or a list of them, alone): C[column, column] or the block
          C[column][:, column];
        - ``r_matrix`` R (1-D or 2-D): R C R', or R C other' when ``other`` is given.

        Parameters
        ----------
        r_matrix : array_like, optional
            Coefficients of the linear combinations, one row each (p columns).
        column : int or sequence of int, optional
            The coefficients whose (co)variances to return; not with ``r_matrix``.
        scale : float, optional
            The error variance to use in place of the fit's ``scale`` (s^2).
        cov_p : array_like, optional
            A (p, p) covariance to use in place of the fit's.
        other : array_like, optional
            The right-hand combinations (with ``r_matrix`` only).

        Returns
        -------
        numpy.ndarray
            The covariance (a scalar array for one ``column``).

        Examples
        --------
        >>> import numpy as np
        >>> from computelimits import fit
        >>> result = fit.ols([1.0, 2.0, 3.0, 4.0], [1.1, 1.9, 3.2, 3.9])
        >>> result.cov_params().shape
        (2, 2)
        >>> bool(np.isclose(result.cov_params(column=1), result.bse[1] ** 2))
        True
        >>> result.cov_params(r_matrix=[[1.0, 0.0]])  # Var(b0)
        array([[0.04725]])
        """
        p = len(self.params)
        if column is not None and (r_matrix is not None or other is not None):
            raise ValueError("column must be given without r_matrix and other")
        if other is not None and r_matrix is None:
            raise ValueError("other can only be given with r_matrix")
        if cov_p is None:
            if scale is None:
                covariance = self.cov_params_array
            else:
                scale = _validation.check_real("scale", scale, minimum=0.0)
                covariance = self.cov_unscaled * scale
        else:
            covariance = _validation.real_array("cov_p", cov_p)
            if covariance.shape != (p, p):
                raise ValueError(f"cov_p must have shape ({p}, {p}), got {covariance.shape}")
        if column is not None:
            index = np.asarray(column)
            if index.dtype.kind not in "iu" or np.any((index < -p) | (index >= p)):
                raise ValueError(f"column must be coefficient indices in [0, {p}), got {column!r}")
            return covariance[index, index] if index.ndim == 0 else covariance[index[:, None], index]
        if r_matrix is not None:
            combinations = _validation.real_array("r_matrix", r_matrix)
            if combinations.ndim not in (1, 2) or combinations.shape[-1] != p:
                raise ValueError(f"r_matrix must be 1-D or 2-D with {p} columns, got shape {combinations.shape}")
            right = combinations if other is None else _validation.real_array("other", other)
            if right.shape[-1] != p:
                raise ValueError(f"other must have {p} columns, got shape {right.shape}")
            return combinations @ covariance @ right.T
        return covariance

    def conf_int(self, alpha: float = 0.05) -> np.ndarray:
        """Student-t confidence intervals of the coefficients (statsmodels' ``conf_int``).

        b_j -+ t_{1 - alpha/2, df_resid} bse_j, one row [lower, upper] per coefficient.

        Parameters
        ----------
        alpha : float, default 0.05
            The significance level, as in statsmodels: the interval's confidence level
            is 1 - alpha (0.05 gives 95% intervals).

        Returns
        -------
        numpy.ndarray
            Shape (p, 2): lower bounds in column 0, upper bounds in column 1.

        Examples
        --------
        >>> from computelimits import fit
        >>> result = fit.ols([1.0, 2.0, 3.0, 4.0], [1.1, 1.9, 3.2, 3.9])
        >>> result.conf_int()
        array([[-0.835,  1.035],
               [ 0.628,  1.312]])
        """
        alpha = _validation.check_real("alpha", alpha, minimum=0.0, maximum=1.0, strict_minimum=True)
        if alpha >= 1.0:
            raise ValueError(f"alpha must be < 1, got {alpha}")
        from scipy import special

        quantile = special.stdtrit(self.df_resid, 1.0 - alpha / 2.0)
        return np.column_stack([self.params - quantile * self.bse, self.params + quantile * self.bse])

    def predict(self, exog: Any) -> np.ndarray:
        """X_new b; ``exog`` without the constant column (it is added when fitted with one),
        and for a polynomial fit (``degree``) the single x column, whose powers are formed here."""
        design = _checks.as_design("exog", exog)
        if self.degree is not None:
            if design.shape[1] != 1:
                raise ValueError(f"exog must be one column (x) for a degree-{self.degree} fit, got {design.shape[1]}")
            design = design ** np.arange(1, self.degree + 1)
        if self.intercept:
            design = np.column_stack([np.ones(len(design)), design])
        if design.shape[1] != len(self.params):
            raise ValueError(
                f"exog must have {len(self.params) - self.intercept} columns, got {design.shape[1] - self.intercept}"
            )
        return design @ self.params

    def to_dict(self) -> Dict[str, Any]:
        return {
            "names": list(self.names),
            "params": self.params.tolist(),
            "bse": self.bse.tolist(),
            "tvalues": self.tvalues.tolist(),
            "pvalues": self.pvalues.tolist(),
            "rsquared": self.rsquared,
            "rsquared_adj": self.rsquared_adj,
            "scale": self.scale,
            "residual_sd": self.residual_sd,
            "ssr": self.ssr,
            "df_resid": self.df_resid,
            "nobs": self.nobs,
            "intercept": self.intercept,
        }

    def _coefficient_columns(self, confidence_level: float) -> Dict[str, Any]:
        interval = self.conf_int(1.0 - check_confidence_level(confidence_level))
        return {
            "coef": self.params,
            "std_err": self.bse,
            "t": self.tvalues,
            "p_value": self.pvalues,
            f"ci_low_{confidence_level:g}": interval[:, 0],
            f"ci_high_{confidence_level:g}": interval[:, 1],
        }

    def to_frame(self, alpha: Optional[float] = None, *, confidence_level: float = 0.95):
        """Coefficient table: coef, std_err, t, p_value and the CI bounds, one row per name.

        ``confidence_level`` names the columns ``ci_low_0.95``/``ci_high_0.95``; ``alpha``
        (1 - level) is its deprecated former spelling."""
        import pandas as pd

        confidence_level = _level_from_alpha(alpha, confidence_level, "to_frame")
        return pd.DataFrame(self._coefficient_columns(confidence_level), index=list(self.names))

    def _display(self, confidence_level: float = 0.95) -> Display:
        columns = self._coefficient_columns(confidence_level)
        return Display(
            "OLS regression",
            (
                ("observations", self.nobs),
                ("residual df", self.df_resid),
                ("R^2", self.rsquared),
                ("adj. R^2", self.rsquared_adj),
                ("residual SD", self.residual_sd),
            ),
            ("", *columns),
            tuple(zip(self.names, *columns.values())),
            (f"{confidence_level:.0%} Student-t intervals",),
        )

    def summary(self, alpha: Optional[float] = None, *, confidence_level: float = 0.95) -> Summary:
        """The fit statistics and the coefficient table, with ``confidence_level`` t intervals
        (``alpha``, the level's complement, is deprecated)."""
        return Summary.of(self._display(_level_from_alpha(alpha, confidence_level, "summary")))

    def __repr__(self) -> str:
        coefs = ", ".join(f"{name}={value:.6g}" for name, value in zip(self.names, self.params))
        return f"OLSResult({coefs}, rsquared={self.rsquared:.6g}, nobs={self.nobs})"


def _level_from_alpha(alpha: Optional[float], confidence_level: float, method: str) -> float:
    """``confidence_level``, or 1 - ``alpha`` with a DeprecationWarning when the old keyword is given."""
    if alpha is None:
        return check_confidence_level(confidence_level)
    if confidence_level != 0.95:
        raise TypeError(f"OLSResult.{method}() got both confidence_level and its deprecated form alpha: pass one")
    warnings.warn(
        f"OLSResult.{method}(alpha=...) is deprecated: use confidence_level = 1 - alpha "
        f"(the old keyword will be removed in the next release)",
        DeprecationWarning,
        stacklevel=3,
    )
    alpha = _validation.check_real("alpha", alpha, minimum=0.0, strict_minimum=True)
    return check_confidence_level(1.0 - alpha, "1 - alpha")


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
