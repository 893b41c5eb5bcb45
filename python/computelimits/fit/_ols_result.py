"""The result of ``ols``: ``OLSResult``, statsmodels' ``RegressionResults`` names and methods.

``cov_params`` (statsmodels' signature: columns, linear combinations R C R'), ``conf_int``
(Student-t intervals b -+ t_{1-alpha/2, n-p} bse), ``predict``, ``to_frame``, ``summary``; the
statistics themselves are computed by ``ols`` (``fit.ols``, whose module docstring gives the
formulas) and stored here.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import numpy as np

from .. import _validation
from .._confidence import check_confidence_level
from .._deprecation import array_method
from .._display import Display, ResultDisplay, Summary
from . import _checks


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
