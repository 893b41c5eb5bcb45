"""matplotlib figures of the simulate experiments (reusable by the main report).

Each function takes a result object and returns a ``matplotlib.figure.Figure``; nothing
is shown or saved here. Callers that run headless should select the Agg backend.
"""

from __future__ import annotations

import numpy as np

from ..status import describe

_LABELS = {
    "oracle": "oracle (10 true features)",
    "expert": "expert (9 of 10)",
    "flexible": "flexible (all features, OLS / min-norm)",
    "flexible_lasso": "flexible + lasso",
}


def _figure(ncols: int, width: float = 5.0):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width * ncols, 4.0), layout="constrained")
    return figure, [figure.add_subplot(1, ncols, i + 1) for i in range(ncols)]


def paper_figure(result):
    """(a) performance (-log10 NMSE, with CI band) against n; (b) FLOPs against performance."""
    figure, (left, right) = _figure(2)
    mean, low, high = result.performance_mean, result.performance_ci_low, result.performance_ci_high
    for m, model in enumerate(result.models):
        (line,) = left.plot(result.sizes, mean[:, m], marker="o", ms=3, label=_LABELS.get(model, model))
        left.fill_between(result.sizes, low[:, m], high[:, m], color=line.get_color(), alpha=0.2)
        right.plot(
            mean[:, m],
            result.flops_mean[:, m],
            marker="o",
            ms=3,
            color=line.get_color(),
            label=_LABELS.get(model, model),
        )
    left.set_xscale("log")
    left.set_xlabel("sample size n (data points)")
    left.set_ylabel("performance: -log10(normalized MSE)")
    left.set_title(f"(a) performance, mean and {result.confidence_level:.0%} CI over {result.reps} replicates")
    left.legend(fontsize=8)
    right.set_yscale("log")
    right.set_xlabel("performance: -log10(normalized MSE)")
    right.set_ylabel("computation to fit (FLOP)")
    right.set_title("(b) computation needed for each performance")
    return figure


def double_descent_figure(result):
    """Excess risk against p/n for min-norm and ridge, Monte Carlo (with CI) and closed forms."""
    figure, (axes,) = _figure(1, width=6.5)
    gamma = result.gamma
    order = np.argsort(gamma)
    z = 1.959963984540054
    for mean, se, label in (
        (result.excess_risk_mean, result.excess_risk_se, "min-norm (Monte Carlo)"),
        (result.ridge_excess_risk_mean, result.ridge_excess_risk_se, "optimal ridge (Monte Carlo)"),
    ):
        axes.errorbar(gamma[order], mean[order], yerr=z * se[order], fmt="o", ms=3, capsize=2, label=label)
    axes.plot(gamma[order], result.excess_risk_exact[order], "k-", lw=1, label="min-norm exact (Belkin-Hsu-Xu)")
    axes.plot(gamma[order], result.ridge_excess_risk_limit[order], "k--", lw=1, label="ridge limit (Marchenko-Pastur)")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.axvline(1.0, color="grey", lw=0.5)
    axes.set_xlabel(f"p / n (features per data point, n = {result.n})")
    axes.set_ylabel("excess risk ||b - beta||^2 (squared units of y)")
    axes.set_title("double descent")
    axes.legend(fontsize=8)
    return figure


def sgd_figure(result):
    """(a) mean excess risk against cumulative SGD FLOPs per n; (b) compute against 1/target."""
    figure, (left, right) = _figure(2)
    epochs = result.excess.shape[2]
    for i, n in enumerate(result.sizes):
        left.plot(result.epoch_flops[i] * np.arange(1, epochs + 1), result.excess_mean[i], label=f"n = {n}")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("SGD computation (FLOP)")
    left.set_ylabel("excess risk (w - beta)' Sigma (w - beta)")
    left.set_title("(a) SGD excess risk by sample size")
    left.legend(fontsize=8)
    compute = result.compute_for_target
    ok = np.isfinite(compute)
    right.plot(1.0 / result.targets[ok], compute[ok], "o-")
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xlabel("1 / target excess risk")
    right.set_ylabel("least computation to reach target (FLOP)")
    exponent = result.exponent
    title = f"fitted exponent {exponent:.2f}" if exponent is not None else describe(result.exponent_status)
    right.set_title(f"(b) {title}")
    return figure
