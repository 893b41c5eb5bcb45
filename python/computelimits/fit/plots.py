"""Figures for compute-error fits and compute trends (matplotlib, Agg backend).

``plot_compute_error`` draws the data, the fitted model and a pointwise
bootstrap band: at each compute on a grid, the (1-level)/2 and (1+level)/2
quantiles of the error predicted by the resampled coefficients.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Optional

import numpy as np

from ..status import Status, describe
from .models import ComputeErrorFit

MAX_EXTRAPOLATION_DECADES = 15.0


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def prediction_band(
    fit: ComputeErrorFit,
    coefficient_draws: np.ndarray,
    log10_compute: np.ndarray,
    level: float = 0.95,
    year: Optional[float] = None,
):
    """(low, high) error at each log10 compute from resampled coefficients (rows [a, b(, c)])."""
    draws = np.asarray(coefficient_draws, dtype=float)
    draws = draws[np.all(np.isfinite(draws), axis=1)]
    linear = draws[:, [0]] + draws[:, [1]] * log10_compute[None, :]
    if fit.year_covariate:
        year = float(np.max(fit.year[fit.mask])) if year is None else year
        linear = linear + draws[:, [2]] * year
    predicted = 10.0**linear if fit.model == "polynomial" else linear
    tail = (1.0 - level) / 2.0
    return np.quantile(predicted, tail, axis=0), np.quantile(predicted, 1.0 - tail, axis=0)


def plot_compute_error(
    fit: ComputeErrorFit,
    coefficient_draws: Optional[np.ndarray] = None,
    *,
    targets: Sequence[float] = (),
    level: float = 0.95,
    title: Optional[str] = None,
    labels: Optional[Sequence[str]] = None,
    ax=None,
):
    """Error against compute (log-log axes) with the fit, its band and the target errors."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    x = np.log10(fit.compute)
    reach = [fit.log10_compute_for_error(t) for t in targets]
    # Extend the axis to targets reached within MAX_EXTRAPOLATION_DECADES; further
    # targets are drawn as lines only (10^x of a far target would overflow).
    reach = [r for r in reach if np.isfinite(r) and x.min() <= r <= x.max() + MAX_EXTRAPOLATION_DECADES]
    low, high = x.min(), max([x.max(), *reach])
    grid = np.linspace(low - 0.1 * (high - low + 1), high + 0.05 * (high - low + 1), 200)
    if not np.all(fit.mask):
        ax.scatter(10 ** x[~fit.mask], fit.error[~fit.mask], s=18, color="0.6", label="not on frontier")
    ax.scatter(10 ** x[fit.mask], fit.error[fit.mask], s=22, color="C0", label="fitted points")
    if labels is not None and len(labels) <= 40:
        for xi, ei, text in zip(10**x, fit.error, labels):
            ax.annotate(str(text), (xi, ei), fontsize=6, alpha=0.7, xytext=(2, 2), textcoords="offset points")
    ax.plot(10**grid, fit.predict_error(10**grid), color="C1", label=f"{fit.model} fit, R$^2$ = {fit.rsquared:.2f}")
    if coefficient_draws is not None:
        band_low, band_high = prediction_band(fit, coefficient_draws, grid, level)
        ax.fill_between(10**grid, band_low, band_high, color="C1", alpha=0.2, label=f"{level:.0%} bootstrap band")
    for target in targets:
        ax.axhline(target, color="C3", lw=0.8, ls="--")
        ax.annotate(f"{target:g}", (10 ** grid[0], target), fontsize=7, color="C3")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("compute (FLOP)")
    ax.set_ylabel("error")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=7)
    return ax


def plot_compute_trend(years: np.ndarray, compute: np.ndarray, trend, *, title: Optional[str] = None, ax=None):
    """log2 compute against decimal year with each era's fitted line and doubling time
    (dotted, labelled with the status in words, where the doubling time is undetermined)."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    years = np.asarray(years, dtype=float)
    compute = np.asarray(compute, dtype=float)
    ax.scatter(years, compute, s=8, alpha=0.5, color="0.4")
    for k, era in enumerate(trend.eras):
        inside = (years >= era.start) & (years < era.end)
        grid = np.linspace(years[inside].min(), years[inside].max(), 50)
        a, b = era.fit.params
        if era.status is Status.OK:
            label = f"{era.doubling_months:.1f} months [{era.low:.1f}, {era.high:.1f}]"
        else:
            label = describe(era.status)
        ax.plot(grid, 2.0 ** (a + b * grid), color=f"C{k}", label=label, ls="-" if era.status is Status.OK else ":")
    ax.set_yscale("log")
    ax.set_xlabel("publication date (year)")
    ax.set_ylabel("training compute (FLOP)")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=7, title="doubling time")
    return ax


def save(ax, path) -> Path:
    """Save the axes' figure as PNG (150 dpi) and close it."""
    plt = _pyplot()
    path = Path(path)
    figure = ax.figure
    figure.tight_layout()
    figure.savefig(path, dpi=150)
    plt.close(figure)
    return path
