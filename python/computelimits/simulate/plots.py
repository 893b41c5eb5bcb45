"""matplotlib figures of the simulate experiments (reusable by the main report).

Each function takes a result object and returns a ``matplotlib.figure.Figure`` (not registered
with pyplot: nothing is shown, and it is freed with its last reference); nothing is saved here.
Sizes and fonts follow ``computelimits._figures``. Intervals are drawn only where both ends are
finite numbers (a single replicate has no standard error, hence no interval).
"""

from __future__ import annotations

import numpy as np

from .. import _figures
from ..status import describe

_LABELS = {
    "oracle": "oracle (10 true features)",
    "expert": "expert (9 of 10)",
    "flexible": "flexible (all features, OLS / min-norm)",
    "flexible_lasso": "flexible + lasso",
}
# Two-sided 95% normal quantile, for the double-descent error bars.
Z_95 = 1.959963984540054


def _figure(ncols: int, width: float):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(min(width, _figures.MAX_WIDTH_INCHES), 4.2), dpi=_figures.DPI, layout="constrained")
    return figure, [figure.add_subplot(1, ncols, i + 1) for i in range(ncols)]


# At most this many labelled sizes on a panel's x axis: twelve sizes 1.5x apart (20 ... 1600) print
# "1074" and "1600" into each other at the report's width; every other one fits.
MAX_SIZE_TICKS = 7


def _integer_log_ticks(axes, values) -> None:
    """Major ticks at the given sizes printed as plain integers, no minor tick labels; more than
    ``MAX_SIZE_TICKS`` sizes are thinned to every k-th one, counted back from the largest."""
    from matplotlib.ticker import FixedLocator, NullFormatter, StrMethodFormatter

    values = np.sort(np.asarray(values, float))
    step = -(-len(values) // MAX_SIZE_TICKS)
    axes.xaxis.set_major_locator(FixedLocator(values[::-1][::step][::-1]))
    axes.xaxis.set_major_formatter(StrMethodFormatter("{x:.0f}"))
    axes.xaxis.set_minor_formatter(NullFormatter())


def paper_figure(result):
    """(a) performance -log10(NMSE) against n with its normal-theory band, mean +- z SE over
    replicates; (b) FLOPs to fit against performance, one curve per model (Thompson et al.
    2020, sec. 2)."""
    figure, (left, right) = _figure(2, width=10.0)
    mean, low, high = result.performance_mean, result.performance_ci_low, result.performance_ci_high
    level = result.confidence_level
    for m, model in enumerate(result.models):
        label = _LABELS.get(model, model)
        (line,) = left.plot(result.sizes, mean[:, m], marker="o", ms=3, label=label)
        finite = _figures.is_finite_band(low[:, m], high[:, m])
        if finite.any():
            left.fill_between(result.sizes, low[:, m], high[:, m], where=finite, color=line.get_color(), alpha=0.2)
        right.plot(mean[:, m], result.flops_mean[:, m], marker="o", ms=3, color=line.get_color(), label=label)
    left.set_xscale("log")
    _integer_log_ticks(left, result.sizes)
    left.set_xlabel("sample size n (data points)")
    left.set_ylabel("performance: -log10(normalized MSE)")
    left.set_title(f"(a) performance: mean, {level:.0%} CI, {result.reps} replicates", fontsize=10)
    left.legend(fontsize=_figures.LEGEND_FONT_POINTS)
    right.set_yscale("log")
    right.set_xlabel("performance: -log10(normalized MSE)")
    right.set_ylabel("computation to fit (FLOP)")
    right.set_title("(b) computation needed for each performance", fontsize=10)
    right.legend(fontsize=_figures.LEGEND_FONT_POINTS)
    return figure


def double_descent_figure(result):
    """Excess risk against p/n for min-norm and ridge: Monte Carlo means with 95% normal error
    bars (mean +- 1.96 SE), the exact min-norm expectation (Belkin, Hsu and Xu 2019) and the
    optimal-ridge Marchenko-Pastur limit (Dobriban and Wager 2018)."""
    figure, (axes,) = _figure(1, width=7.0)
    gamma = result.gamma
    order = np.argsort(gamma)
    for mean, se, label in (
        (result.excess_risk_mean, result.excess_risk_se, "min-norm (Monte Carlo)"),
        (result.ridge_excess_risk_mean, result.ridge_excess_risk_se, "optimal ridge (Monte Carlo)"),
    ):
        half_width = Z_95 * se[order]
        yerr = np.where(np.isfinite(half_width), half_width, 0.0)  # no interval: no bar
        axes.errorbar(gamma[order], mean[order], yerr=yerr, fmt="o", ms=3, capsize=2, label=label)
    axes.plot(gamma[order], result.excess_risk_exact[order], "k-", lw=1, label="min-norm exact (Belkin-Hsu-Xu)")
    axes.plot(gamma[order], result.ridge_excess_risk_limit[order], "k--", lw=1, label="ridge limit (Marchenko-Pastur)")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.axvline(1.0, color="grey", lw=0.5)
    axes.set_xlabel(f"p / n (features per data point, n = {result.n})")
    axes.set_ylabel("excess risk ||b - beta||^2 (squared units of y)")
    axes.set_title(f"double descent, {result.reps} replicates", fontsize=10)
    axes.legend(fontsize=_figures.LEGEND_FONT_POINTS)
    return figure


def sgd_figure(result):
    """(a) mean excess risk against cumulative SGD FLOPs per n; (b) the least compute that
    reaches each target excess risk against 1/target, with the fitted exponent (or its status)."""
    figure, (left, right) = _figure(2, width=10.0)
    epochs = result.excess.shape[2]
    for i, n in enumerate(result.sizes):
        left.plot(result.epoch_flops[i] * np.arange(1, epochs + 1), result.excess_mean[i], label=f"n = {n}")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("SGD computation (FLOP)")
    left.set_ylabel("excess risk (w - beta)' Sigma (w - beta)")
    left.set_title("(a) SGD excess risk by sample size", fontsize=10)
    left.legend(fontsize=_figures.LEGEND_FONT_POINTS)
    compute = result.compute_for_target
    ok = np.isfinite(compute)
    right.plot(1.0 / result.targets[ok], compute[ok], "o-")
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xlabel("1 / target excess risk")
    right.set_ylabel("least computation to reach target (FLOP)")
    exponent = result.exponent
    title = f"fitted exponent {exponent:.2f}" if exponent is not None else describe(result.exponent_status)
    right.set_title(f"(b) {title}", fontsize=10)
    return figure
