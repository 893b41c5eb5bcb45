"""Ordinary least squares by Householder QR: ``ols(X, y)``, a statsmodels-like result.

Formulas (Greene, Econometric Analysis, ch. 4; the NIST StRD conventions):
b = argmin ||y - X b||^2 solved by QR; s^2 = RSS / (n - p) (``scale``);
cov = s^2 (X'X)^-1; bse = sqrt(diag cov); t = b / bse; CI b +- t_{1-alpha/2, n-p} bse;
R^2 = 1 - RSS / TSS with TSS centred about mean(y) when the model has an
intercept and uncentred (sum y^2) without one, as NIST and statsmodels do;
adjusted R^2 = 1 - (n - k0) / (n - p) (1 - R^2), k0 = 1 with an intercept else 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import numpy as np

from .. import _validation
from . import _checks, _numpy_twin


def qr_solution(design: np.ndarray, response: np.ndarray, backend: str) -> dict:
    """The raw QR solution dict (params, cov_unscaled, fitted, resid, leverage, rss)."""
    if backend == "numpy":
        return _numpy_twin.ols_qr(design, response)
    from .. import _core

    return _core.fit.ols_qr(design, response)


@dataclass(frozen=True, repr=False)
class OLSResult:
    """An OLS fit; attribute names follow statsmodels' RegressionResults."""

    names: tuple
    params: np.ndarray
    bse: np.ndarray
    tvalues: np.ndarray
    pvalues: np.ndarray
    rsquared: float
    rsquared_adj: float
    scale: float
    ssr: float
    df_resid: int
    nobs: int
    intercept: bool
    resid: np.ndarray = field(compare=False)
    fittedvalues: np.ndarray = field(compare=False)
    cov_params: np.ndarray = field(compare=False)
    cov_unscaled: np.ndarray = field(compare=False)
    leverage: np.ndarray = field(compare=False)
    design: np.ndarray = field(compare=False)
    response: np.ndarray = field(compare=False)

    def conf_int(self, alpha: float = 0.05) -> np.ndarray:
        """(p, 2) t intervals b +- t_{1-alpha/2, df_resid} bse."""
        alpha = _validation.check_real("alpha", alpha, minimum=0.0, maximum=1.0, strict_minimum=True)
        if alpha >= 1.0:
            raise ValueError(f"alpha must be < 1, got {alpha}")
        from scipy import special

        quantile = special.stdtrit(self.df_resid, 1.0 - alpha / 2.0)
        return np.column_stack([self.params - quantile * self.bse, self.params + quantile * self.bse])

    @property
    def residual_sd(self) -> float:
        """sqrt(scale), NIST's 'residual standard deviation'."""
        return float(np.sqrt(self.scale))

    def predict(self, exog: Any) -> np.ndarray:
        """X_new b; ``exog`` without the constant column (it is added when fitted with one)."""
        design = _checks.as_design("exog", exog)
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
            "ssr": self.ssr,
            "df_resid": self.df_resid,
            "nobs": self.nobs,
            "intercept": self.intercept,
        }

    def to_frame(self, alpha: float = 0.05):
        """Coefficient table: coef, std_err, t, p_value and the CI bounds, one row per name."""
        import pandas as pd

        interval = self.conf_int(alpha)
        return pd.DataFrame(
            {
                "coef": self.params,
                "std_err": self.bse,
                "t": self.tvalues,
                "p_value": self.pvalues,
                f"ci_low_{1 - alpha:g}": interval[:, 0],
                f"ci_high_{1 - alpha:g}": interval[:, 1],
            },
            index=list(self.names),
        )

    def summary(self, alpha: float = 0.05) -> str:
        head = (
            f"OLS  nobs={self.nobs}  df_resid={self.df_resid}  R^2={self.rsquared:.6g}  "
            f"adj. R^2={self.rsquared_adj:.6g}  residual SD={self.residual_sd:.6g}"
        )
        return head + "\n" + self.to_frame(alpha).to_string(float_format=lambda v: f"{v:.6g}")

    def __repr__(self) -> str:
        coefs = ", ".join(f"{name}={value:.6g}" for name, value in zip(self.names, self.params))
        return f"OLSResult({coefs}, rsquared={self.rsquared:.6g}, nobs={self.nobs})"


def ols(
    X: Any, y: Any, intercept: bool = True, backend: str = "cpp", names: Optional[Sequence[str]] = None
) -> OLSResult:
    """Fit y = [1] X b + e by least squares through a Householder QR factorization.

    ``X`` is (n,) or (n, k) without the constant column; ``intercept=True`` prepends
    a column of ones. The C++ backend uses Eigen's HouseholderQR, the numpy twin
    ``numpy.linalg.qr``; both scale the columns to unit norm and refine the
    augmented system (Björck 1996) with long-double defects, which gives >= 13
    correct digits on the NIST StRD sets except Filip (>= 7). See the module
    docstring for the statistics.
    """
    _validation.check_backend(backend)
    if not isinstance(intercept, (bool, np.bool_)):
        raise TypeError(f"intercept must be a bool, got {intercept!r}")
    predictors = _checks.as_design("X", X)
    response = _checks.as_vector("y", y)
    _checks.check_same_length("X", predictors, "y", response)
    design = np.column_stack([np.ones(len(response)), predictors]) if intercept else predictors
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
    solution = qr_solution(np.ascontiguousarray(design), response, backend)
    if names is None:
        names = (["const"] if intercept else []) + [f"x{k + 1}" for k in range(predictors.shape[1])]
    names = tuple(str(v) for v in names)
    if len(names) != p:
        raise ValueError(f"names must have {p} entries, got {len(names)}")
    df_resid = n - p
    rss = float(solution["rss"])
    scale = rss / df_resid
    cov_unscaled = np.asarray(solution["cov_unscaled"])
    bse = np.sqrt(np.diag(cov_unscaled) * scale)
    params = np.asarray(solution["params"])
    with np.errstate(divide="ignore", invalid="ignore"):
        tvalues = params / bse
    from scipy import special

    pvalues = 2.0 * special.stdtr(df_resid, -np.abs(tvalues))
    tss = float(np.sum((response - response.mean()) ** 2)) if intercept else float(np.sum(response**2))
    rsquared = 1.0 - rss / tss if tss > 0 else float("nan")
    rsquared_adj = 1.0 - (n - int(intercept)) / df_resid * (1.0 - rsquared)
    return OLSResult(
        names=names,
        params=params,
        bse=bse,
        tvalues=tvalues,
        pvalues=pvalues,
        rsquared=rsquared,
        rsquared_adj=rsquared_adj,
        scale=scale,
        ssr=rss,
        df_resid=df_resid,
        nobs=n,
        intercept=bool(intercept),
        resid=np.asarray(solution["resid"]),
        fittedvalues=np.asarray(solution["fitted"]),
        cov_params=cov_unscaled * scale,
        cov_unscaled=cov_unscaled,
        leverage=np.asarray(solution["leverage"]),
        design=design,
        response=response,
    )
