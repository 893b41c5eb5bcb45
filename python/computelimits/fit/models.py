"""The paper's compute-versus-error models (Thompson et al. 2020, sec. 4).

- polynomial:  log10(error) = a + b log10(compute) [+ c year]
- exponential: error        = a + b log10(compute) [+ c year]

fit by OLS on all points or on a best-so-far frontier:

- ``frontier="year"``: sort by (year, compute); keep a point when its error is
  strictly below every earlier point's error (the state of the art as it was
  set over time).
- ``frontier="compute"``: sort by (compute, error); keep a point when its error
  is strictly below that of every point with less compute (the compute-error
  Pareto front).

Inverse prediction: the log10 compute that reaches ``target`` error is
(f(target) - a - c year) / b with f = log10 (polynomial) or identity (exponential).
Compute multiplier that halves the error: polynomial 10^(-log10(2) / b) = 2^(-1/b)
(independent of the level); exponential 10^(-e0 / (2 b)) from reference error e0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import numpy as np

from .. import _validation
from .._display import Display, ResultDisplay
from ..status import Status
from . import _checks
from .fieller import constant_over_slope_interval
from .ols import OLSResult, ols
from .status_rules import (  # noqa: F401  (re-exported: fit.models.slope_status and the rest keep working)
    LOG10_FLOAT_MAX,
    LOG10_FLOAT_MIN,
    HalvingMultiplier,
    linear_value,
    range_status,
    slope_status,
)

MODELS = ("polynomial", "exponential")
FRONTIERS = (None, "year", "compute")


def frontier_mask(compute: Any, error: Any, year: Any = None, by: str = "year") -> np.ndarray:
    """Boolean mask of the points that set a new best (lowest) error.

    ``by="year"``: sort by (year, compute) and keep a point when its error is strictly below
    every earlier point's (the state of the art as it was set over time); ``by="compute"``:
    sort by (compute, error) and keep a point when its error is strictly below that of every
    point with less compute (the compute-error Pareto front).

    Parameters
    ----------
    compute : array_like
        Compute of each point (FLOP, > 0).
    error : array_like
        Error of each point (> 0).
    year : array_like, optional
        Publication years (needed by ``by="year"``).
    by : {"year", "compute"}, default "year"
        The order in which a point must beat the best so far.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> from computelimits import fit
    >>> fit.frontier_mask([1e18, 1e19, 1e20, 1e21], [0.3, 0.35, 0.2, 0.25], by="compute")
    array([ True, False,  True, False])
    """
    _checks.check_choice("by", by, ("year", "compute"))
    compute = _checks.as_positive_vector("compute", compute)
    error = _checks.as_positive_vector("error", error)
    _checks.check_same_length("compute", compute, "error", error)
    if by == "year":
        if year is None:
            raise ValueError("frontier='year' needs year, got None")
        year = _checks.as_vector("year", year)
        _checks.check_same_length("compute", compute, "year", year)
        order = np.lexsort((compute, year))
    else:
        order = np.lexsort((error, compute))
    mask = np.zeros(len(error), dtype=bool)
    best = np.inf
    for index in order:
        if error[index] < best:
            mask[index] = True
            best = error[index]
    return mask


def target_log10_compute(target_error: float, model: str = "polynomial", year: Optional[float] = None):
    """Derived statistic params (m, p) -> log10 compute at which the fitted error equals target.

    x* = (f(target) - a - c year) / b, f = log10 (polynomial) or the identity (exponential);
    for ``bootstrap_fit(derived=...)``, which evaluates it on every resample's coefficients.

    Parameters
    ----------
    target_error : float
        The error to reach (a fraction).
    model : {"polynomial", "exponential"}, default "polynomial"
        The model the coefficients belong to.
    year : float, optional
        The year at which to read a fit with a year term.

    Returns
    -------
    callable
        ``statistic(params)``: an (m,) array from an (m, p) coefficient array.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import fit
    >>> log10_compute = np.arange(18.0, 24.0)
    >>> error = 10 ** (0.8 - 0.05 * log10_compute + np.array([0.01, -0.02, 0.015, -0.01, 0.005, 0.0]))
    >>> result = fit.fit_compute_error(10**log10_compute, error)
    >>> fit.target_log10_compute(0.05)(result.fit.params)  # (log10 0.05 - 0.8) / -0.05
    array([42.0206])
    """
    _checks.check_choice("model", model, MODELS)
    level = np.log10(target_error) if model == "polynomial" else target_error

    def statistic(params: np.ndarray) -> np.ndarray:
        params = np.atleast_2d(params)
        shift = params[:, 2] * year if (year is not None and params.shape[1] > 2) else 0.0
        return (level - params[:, 0] - shift) / params[:, 1]

    return statistic


def halving_log10_multiplier(model: str = "polynomial", reference_error: Optional[float] = None):
    """Derived statistic params -> log10 of the compute multiplier that halves the error.

    Polynomial: -log10(2) / b (2^(-1/b) at any level); exponential: -e0 / (2 b) from the
    reference error e0 (Thompson et al. 2020, sec. 4).

    Parameters
    ----------
    model : {"polynomial", "exponential"}, default "polynomial"
        The model the coefficients belong to.
    reference_error : float, optional
        e0, needed by the exponential model.

    Returns
    -------
    callable
        ``statistic(params)``: an (m,) array from an (m, p) coefficient array.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import fit
    >>> log10_compute = np.arange(18.0, 24.0)
    >>> error = 10 ** (0.8 - 0.05 * log10_compute + np.array([0.01, -0.02, 0.015, -0.01, 0.005, 0.0]))
    >>> result = fit.fit_compute_error(10**log10_compute, error)
    >>> fit.halving_log10_multiplier()(result.fit.params)  # log10 2 / 0.05: a 10^6-fold compute halves the error
    array([6.0206])
    """
    _checks.check_choice("model", model, MODELS)
    if model == "exponential" and reference_error is None:
        raise ValueError("the exponential model needs reference_error to define halving, got None")
    reference = 0.0 if reference_error is None else reference_error  # used by the exponential model only

    def statistic(params: np.ndarray) -> np.ndarray:
        slope = np.atleast_2d(params)[:, 1]
        if model == "polynomial":
            return -np.log10(2.0) / slope
        return -reference / (2.0 * slope)

    return statistic


@dataclass(frozen=True, repr=False)
class ComputeErrorFit(ResultDisplay):
    """A fitted compute-error model; ``fit`` is the underlying ``OLSResult``."""

    model: str
    fit: OLSResult
    compute: np.ndarray = field(compare=False)
    error: np.ndarray = field(compare=False)
    year: Optional[np.ndarray] = field(compare=False)
    mask: np.ndarray = field(compare=False)
    frontier: Optional[str] = None
    year_covariate: bool = False

    @property
    def intercept(self) -> float:
        return float(self.fit.params[0])

    @property
    def slope(self) -> float:
        """b: change in log10(error) (polynomial) or error (exponential) per decade of compute."""
        return float(self.fit.params[1])

    @property
    def rsquared(self) -> float:
        return self.fit.rsquared

    def _year_term(self, year):
        if year is not None:  # checked even where the model has no year term
            years = _validation.real_array("year", year)
            if not np.all(np.isfinite(years)):
                raise ValueError(f"year must be finite, got {year!r:.80}")
        if not self.year_covariate:
            return 0.0
        if year is None:
            assert self.year is not None  # a year covariate was fitted from these years
            years = np.asarray(float(np.max(self.year[self.mask])))
        return float(self.fit.params[2]) * years

    def predict_error(self, compute: Any, year: Any = None) -> np.ndarray:
        """Fitted error at ``compute`` FLOP (and ``year``, default the latest fitted year)."""
        x = np.log10(_checks.as_positive_vector("compute", np.atleast_1d(compute)))
        linear = self.intercept + self.slope * x + self._year_term(year)
        return 10.0**linear if self.model == "polynomial" else linear

    def log10_compute_for_error(self, target_error: float, year: Any = None) -> float:
        """Inverse prediction: log10 FLOP at which the fitted error equals ``target_error``."""
        target = _validation.check_real("target_error", target_error, minimum=0.0, strict_minimum=True)
        level = np.log10(target) if self.model == "polynomial" else target
        return float((level - self.intercept - self._year_term(year)) / self.slope)

    def halving_multiplier(self, reference_error: Optional[float] = None) -> float:
        """Compute multiplier that halves the error (exponential: from ``reference_error``,
        default the lowest fitted error): the bare formula, without a status; ``halving()``
        says whether the data determine it."""
        if reference_error is None:
            reference_error = float(np.min(self.error[self.mask]))
        return float(10.0 ** halving_log10_multiplier(self.model, reference_error)(self.fit.params[None, :])[0])

    def halving(self, reference_error: Optional[float] = None, confidence_level: float = 0.95) -> HalvingMultiplier:
        """log10 of the compute multiplier that halves the error, its status and Fieller interval.

        log10 M = -log10(2) / b (polynomial) or -e0 / (2 b) (exponential, e0 = ``reference_error``,
        default the lowest fitted error); status by ``slope_status`` (error must fall with compute)
        then ``range_status``.
        """
        if reference_error is None:
            reference_error = float(np.min(self.error[self.mask]))
        constant = -math.log10(2.0) if self.model == "polynomial" else -float(reference_error) / 2.0
        with np.errstate(divide="ignore"):
            log10_multiplier = float(constant / self.slope) if self.slope != 0 else math.inf
        status = range_status(slope_status(self.fit, confidence_level), log10_multiplier)
        interval = constant_over_slope_interval(self.fit, constant, confidence_level)
        return HalvingMultiplier(log10_multiplier, status, interval)

    def status(self, confidence_level: float = 0.95) -> Status:
        """``slope_status`` of the fit: error must fall with compute."""
        return slope_status(self.fit, confidence_level)

    def to_dict(self) -> Dict[str, Any]:
        return {"model": self.model, "frontier": self.frontier, "points": int(self.mask.sum()), **self.fit.to_dict()}

    def to_frame(self):
        return self.fit.to_frame()

    def _display(self) -> Display:
        """The OLS fit's block under a title naming the model and the frontier rule."""
        return self.fit._display()._replace(title=f"{self.model} model, frontier={self.frontier}")

    def __repr__(self) -> str:
        return (
            f"ComputeErrorFit(model={self.model!r}, a={self.intercept:.6g}, b={self.slope:.6g}, "
            f"rsquared={self.rsquared:.4g}, points={int(self.mask.sum())}, frontier={self.frontier!r})"
        )


def compute_error_data(compute: Any, error: Any, year: Any = None, frontier: Optional[str] = None):
    """Validated (compute, error, year, mask) arrays for the fitters."""
    _checks.check_choice("frontier", frontier, FRONTIERS)
    compute = _checks.as_positive_vector("compute", compute)
    error = _checks.as_positive_vector("error", error)
    _checks.check_same_length("compute", compute, "error", error)
    if year is not None:
        year = _checks.as_vector("year", year)
        _checks.check_same_length("compute", compute, "year", year)
    mask = np.ones(len(error), dtype=bool) if frontier is None else frontier_mask(compute, error, year, frontier)
    _checks.check_enough_points("compute" if frontier is None else f"the {frontier} frontier", int(mask.sum()))
    _checks.check_not_constant("compute", compute[mask])
    return compute, error, year, mask


def design_for(model: str, compute, error, year, mask):
    """(X, y, names) of the regression for ``model`` on the masked points."""
    x = np.log10(compute[mask])
    columns, names = [x], ["const", "log10_compute"]
    if year is not None:
        _checks.check_not_constant("year", year[mask])
        columns.append(year[mask])
        names.append("year")
    response = np.log10(error[mask]) if model == "polynomial" else error[mask]
    return np.column_stack(columns), response, names


def fit_compute_error(
    compute: Any,
    error: Any,
    model: str = "polynomial",
    year: Any = None,
    frontier: Optional[str] = None,
    backend: str = "cpp",
    year_covariate: bool = False,
) -> ComputeErrorFit:
    """Fit the polynomial or exponential model of error (a fraction) on compute (FLOP).

    Polynomial: log10(error) = a + b log10(compute) [+ c year]; exponential: error =
    a + b log10(compute) [+ c year] (Thompson et al. 2020, sec. 4), by ``ols``.
    ``year`` (publication years) is needed by ``frontier="year"`` and, with
    ``year_covariate=True``, enters the model as a linear covariate c year;
    ``frontier`` ("year" or "compute") keeps only the best-so-far points
    (``frontier_mask``). Needs >= 3 points, positive finite compute and error, and a
    non-constant compute.

    Parameters
    ----------
    compute : array_like
        Compute of each point (FLOP, > 0).
    error : array_like
        Error of each point (a fraction, > 0).
    model : {"polynomial", "exponential"}, default "polynomial"
        The model.
    year : array_like, optional
        Publication years.
    frontier : {None, "year", "compute"}, optional
        Fit the best-so-far points only.
    backend : {"cpp", "numpy"}, default "cpp"
        Who computes the least-squares fit.
    year_covariate : bool, default False
        Add the c year term.

    Returns
    -------
    ComputeErrorFit
        ``intercept`` a, ``slope`` b, ``rsquared``, the ``OLSResult`` as ``fit``, and inverse
        predictions (``log10_compute_for_error``, ``halving``).

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import fit
    >>> log10_compute = np.arange(18.0, 24.0)
    >>> error = 10 ** (0.8 - 0.05 * log10_compute + np.array([0.01, -0.02, 0.015, -0.01, 0.005, 0.0]))
    >>> result = fit.fit_compute_error(10**log10_compute, error)
    >>> round(result.intercept, 6), round(result.slope, 6)
    (0.8, -0.05)
    >>> result.halving().describe()
    '10^6.02x'
    """
    _checks.check_choice("model", model, MODELS)
    if year_covariate and year is None:
        raise ValueError("year_covariate=True needs year, got None")
    compute, error, year, mask = compute_error_data(compute, error, year, frontier)
    design, response, names = design_for(model, compute, error, year if year_covariate else None, mask)
    result = ols(design, response, backend=backend, names=names)
    return ComputeErrorFit(model, result, compute, error, year, mask, frontier, bool(year_covariate))
