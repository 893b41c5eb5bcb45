"""Figures for compute-error fits and compute trends (matplotlib; Agg unless pyplot is already set up).

``plot_compute_error`` draws the data, the fitted model and a pointwise bootstrap band: at each
compute on a grid, the (1 - confidence_level)/2 and (1 + confidence_level)/2 quantiles of the error predicted by the
resampled coefficients (the percentile band of Efron and Tibshirani 1993, ch. 13). Only the
Pareto-frontier points (no other point has both less compute and lower error) are labelled, and
a label that would overlap another label, the legend or a target's tag is left out
(``computelimits._figures.place_labels``). Panels drawn for several fits of the same data share
one compute axis: ``compute_axis_range``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import List, Optional, Tuple

import numpy as np

from .. import _figures
from .._deprecation import renamed_keywords
from ..status import Status, describe
from .models import ComputeErrorFit, frontier_mask

MAX_EXTRAPOLATION_DECADES = 15.0
# The compute axis extends this fraction of its span (at least half a decade) beyond the data.
AXIS_MARGIN = 0.05


def _pyplot():
    """matplotlib.pyplot on the Agg backend (kept for callers of the old private name)."""
    return _figures.pyplot()


@renamed_keywords(level="confidence_level")
def prediction_band(
    fit: ComputeErrorFit,
    coefficient_draws: np.ndarray,
    log10_compute: np.ndarray,
    confidence_level: float = 0.95,
    year: Optional[float] = None,
):
    """(low, high) error at each log10 compute from resampled coefficients (rows [a, b(, c)]).

    The percentile band: the (1 - confidence_level)/2 and (1 + confidence_level)/2 quantiles over
    the resamples of
    10^(a + b x) (polynomial) or a + b x (exponential). Resamples with a non-finite coefficient
    (a singular resample) are dropped; with fewer than two left, both ends are NaN and plotting
    functions draw no band.
    """
    draws = np.asarray(coefficient_draws, dtype=float)
    draws = draws[np.all(np.isfinite(draws), axis=1)]
    log10_compute = np.asarray(log10_compute, dtype=float)
    if len(draws) < 2:
        empty = np.full(log10_compute.shape, np.nan)
        return empty, empty.copy()
    linear = draws[:, [0]] + draws[:, [1]] * log10_compute[None, :]
    if fit.year_covariate:
        assert fit.year is not None  # a year covariate was fitted from these years
        year = float(np.max(fit.year[fit.mask])) if year is None else year
        linear = linear + draws[:, [2]] * year
    with np.errstate(over="ignore"):
        predicted = 10.0**linear if fit.model == "polynomial" else linear
    tail = (1.0 - confidence_level) / 2.0
    return np.quantile(predicted, tail, axis=0), np.quantile(predicted, 1.0 - tail, axis=0)


def compute_axis_range(
    fits: Sequence[ComputeErrorFit], targets: Sequence[float] = (), max_extrapolation: float = MAX_EXTRAPOLATION_DECADES
) -> Tuple[float, float]:
    """(low, high) log10 FLOP that shows every fit's data and where each reaches each target.

    A target reached more than ``max_extrapolation`` decades beyond the data (or never: a wrong
    sign) does not stretch the axis; the margin is ``AXIS_MARGIN`` of the span, at least 0.5 decade.
    Passing the same range to every panel of a figure gives them one compute axis.
    """
    if not fits:
        raise ValueError("fits must hold at least one ComputeErrorFit, got none")
    x = np.concatenate([np.log10(f.compute) for f in fits])
    low, high = float(x.min()), float(x.max())
    reach_high = high
    for f in fits:
        for target in targets:
            with np.errstate(divide="ignore", invalid="ignore"):
                reach = f.log10_compute_for_error(target) if f.slope != 0 else np.nan
            if np.isfinite(reach) and low <= reach <= high + max_extrapolation:
                reach_high = max(reach_high, reach)
    margin = max(AXIS_MARGIN * (reach_high - low), 0.5)
    return low - margin, reach_high + margin


def _level(confidence_level: float, level: Optional[float]) -> float:
    if level is not None:
        warnings.warn(
            "plot_compute_error(level=...) is deprecated; use confidence_level=", DeprecationWarning, stacklevel=3
        )
        return float(level)
    return float(confidence_level)


def plot_compute_error(
    fit: ComputeErrorFit,
    coefficient_draws: Optional[np.ndarray] = None,
    *,
    targets: Sequence[float] = (),
    confidence_level: float = 0.95,
    title: Optional[str] = None,
    labels: Optional[Sequence[str]] = None,
    ax=None,
    log10_compute_range: Optional[Tuple[float, float]] = None,
    level: Optional[float] = None,
):
    """Error against compute (log-log axes) with the fit, its percentile band and the target errors.

    ``labels`` (one per point) are written beside the Pareto-frontier points only, without
    overlaps (see ``label_frontier``). ``log10_compute_range`` fixes the compute axis (default:
    ``compute_axis_range([fit], targets)``). A band whose resamples are all singular is not drawn.
    ``level`` is the deprecated name of ``confidence_level``. Returns the axes.
    """
    confidence_level = _level(confidence_level, level)
    own_figure = ax is None
    if own_figure:
        _, ax = _figures.new_figure(width=7.0, height=4.5)
    low, high = log10_compute_range or compute_axis_range([fit], targets)
    grid = np.linspace(low, high, 200)
    x = np.log10(fit.compute)
    if not np.all(fit.mask):
        ax.scatter(10 ** x[~fit.mask], fit.error[~fit.mask], s=18, color="0.6", label="not on frontier")
    ax.scatter(10 ** x[fit.mask], fit.error[fit.mask], s=22, color="C0", label="fitted points", zorder=3)
    predicted = fit.predict_error(10**grid)
    drawable = np.isfinite(predicted) & (predicted > 0)
    ax.plot(
        10 ** grid[drawable],
        predicted[drawable],
        color="C1",
        label=f"{fit.model} fit, R$^2$ = {fit.rsquared:.2f}",
    )
    # Targets within three decades of the data set the bottom; a further one is drawn off the axis.
    lowest = float(np.min(fit.error))
    bottom = min([lowest, *[float(t) for t in targets if float(t) >= lowest / 1e3]]) / 3.0
    top = float(np.max(fit.error)) * 2.0
    if coefficient_draws is not None:
        band_low, band_high = prediction_band(fit, coefficient_draws, grid, confidence_level)
        finite = _figures.is_finite_band(band_low, band_high) & (band_high > 0)
        if finite.any():
            ax.fill_between(
                10**grid,
                np.where(finite, np.maximum(band_low, bottom), np.nan),
                np.where(finite, np.minimum(band_high, top), np.nan),
                where=finite,
                color="C1",
                alpha=0.2,
                lw=0,
                label=f"{confidence_level:.0%} bootstrap band",
            )
    for target in targets:
        ax.axhline(target, color="C3", lw=0.8, ls="--")
        ax.annotate(f"{target:g}", (10**low, target), xytext=(3, 2), textcoords="offset points", fontsize=8, color="C3")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(10**low, 10**high)
    ax.set_ylim(bottom, top)
    ax.set_xlabel("compute (FLOP)")
    ax.set_ylabel("error (fraction)")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=_figures.LEGEND_FONT_POINTS, loc="best")
    if labels is not None:
        if own_figure:
            _figures.freeze_layout(ax.figure)
        label_frontier(ax, fit, labels)
    return ax


def label_frontier(ax, fit: ComputeErrorFit, labels: Sequence[str]) -> List:
    """Label the Pareto-frontier points of ``fit`` (by compute: each has a lower error than every
    point with less compute, ``frontier_mask(by="compute")``), left to right, skipping any label
    that would overlap another, the legend or a text already on the axes. Call it once the
    figure's layout is final (``_figures.freeze_layout``). Returns the annotations placed."""
    labels = [str(text) for text in labels]
    if len(labels) != len(fit.compute):
        raise ValueError(f"labels must have one entry per point ({len(fit.compute)}), got {len(labels)}")
    on_front = frontier_mask(fit.compute, fit.error, by="compute")
    order = [i for i in np.argsort(fit.compute, kind="stable") if on_front[i]]
    legend = ax.get_legend()
    ax.figure.draw_without_rendering()
    _figures.freeze_legend(legend)
    return _figures.place_labels(
        ax,
        [fit.compute[i] for i in order],
        [fit.error[i] for i in order],
        [labels[i] for i in order],
        obstacles=[legend, *ax.texts],
        avoid_points=np.column_stack([fit.compute, fit.error]),
    )


def plot_projections(rows: Sequence[dict], *, log10_flop_range: Tuple[float, float] = (15.0, 60.0), ax=None):
    """log10 FLOP to reach each target error with its interval, one row per projection
    (``fit.project(...).rows``), on a fixed window of sensible compute.

    Only determined rows (status ok) get a point; a bounded interval gets a bar clipped to the
    window, other interval kinds their words (``projections.interval_words``). Undetermined rows
    get a hatched box across the axis labelled with their status in words, so no undetermined
    number or interval is drawn. A dotted line marks the compute $100 billion buys at the
    authors' conversion ($1 per ``FLOP_PER_USD`` FLOP).
    """
    from matplotlib.patches import Rectangle

    from .projections import FLOP_PER_USD, interval_words

    rows = list(rows)
    if ax is None:
        _, ax = _figures.new_figure(width=9.0, height=0.9 + 0.3 * len(rows))
    left, right = log10_flop_range
    for y, row in enumerate(rows):
        color = "C0" if row["model"] == "polynomial" else "C1"
        status = Status(row["status"])
        if status is not Status.OK:
            ax.add_patch(
                Rectangle((left, y - 0.3), right - left, 0.6, fill=False, hatch="///", edgecolor="0.75", lw=0.5)
            )
            ax.annotate(
                describe(status),
                ((left + right) / 2, y),
                fontsize=8,
                ha="center",
                va="center",
                color="0.3",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
            )
            continue
        centre = row["log10_flop"]
        if row["interval_kind"] == "bounded":
            low = min(max(row["log10_flop_low"], left), right)
            high = min(max(row["log10_flop_high"], left), right)
            ax.plot([low, high], [y, y], color=color, lw=2, alpha=0.6)
        else:
            ax.annotate(interval_words(row), (right, y), fontsize=8, ha="right", va="center", color="0.3")
        if left <= centre <= right:
            ax.plot(centre, y, "o", color=color)
        else:
            ax.annotate(f"10^{centre:.0f}", (right, y), fontsize=8, ha="right", va="center")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r['benchmark']} {r['target_error']:.0%} ({r['model']})" for r in rows], fontsize=8)
    ax.set_xlim(left, right)
    ax.set_ylim(len(rows) - 0.5, -1.2)
    ax.set_xlabel("log10 FLOP needed; bars: 95% intervals; hatched: undetermined")
    dollars_100bn = np.log10(FLOP_PER_USD * 1e11)
    ax.axvline(dollars_100bn, color="0.5", ls=":", lw=1)
    ax.annotate(
        "$100 billion",
        (dollars_100bn, -0.75),
        xytext=(3, 0),
        textcoords="offset points",
        fontsize=8,
        color="0.4",
        va="center",
    )
    return ax


def plot_compute_trend(
    years: np.ndarray,
    compute: np.ndarray,
    trend,
    *,
    title: Optional[str] = None,
    ylabel: str = "training compute (FLOP)",
    ax=None,
):
    """Compute (log axis) against decimal year with each era's fitted line log2 C = a + b t and its
    doubling time 12/b months with its interval (dotted, labelled with the status in words, where
    the doubling time is undetermined)."""
    if ax is None:
        _, ax = _figures.new_figure(width=7.0, height=4.5)
    years = np.asarray(years, dtype=float)
    compute = np.asarray(compute, dtype=float)
    ax.scatter(years, compute, s=8, alpha=0.5, color="0.4")
    for k, era in enumerate(trend.eras):
        inside = (years >= era.start) & (years < era.end)
        if not inside.any():
            continue
        grid = np.linspace(years[inside].min(), years[inside].max(), 50)
        a, b = era.fit.params
        if era.status is Status.OK:
            label = f"{era.doubling_months:.1f} months [{era.low:.1f}, {era.high:.1f}]"
        else:
            label = describe(era.status)
        ax.plot(grid, 2.0 ** (a + b * grid), color=f"C{k}", label=label, ls="-" if era.status is Status.OK else ":")
    ax.set_yscale("log")
    ax.set_xlabel("publication date (year)")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(fontsize=_figures.LEGEND_FONT_POINTS, title="doubling time", title_fontsize=_figures.LEGEND_FONT_POINTS)
    return ax


def save(ax, path) -> Path:
    """Save the axes' figure as a PNG at ``_figures.DPI`` and close it."""
    return _figures.save_figure(ax.figure, path)
