"""The report's theory section: the paper's simulation, double descent, and the exponent side by side.

The exponent of compute against 1/error appears three ways:

- the paper's claim (Thompson et al. 2020, sec. 2): a k-fold improvement costs at least
  k^4 compute in the over-parameterized regime (exponent 4 for an error that falls like
  1/sqrt(n); 2 for a mean squared error such as the excess risk);
- ``simulate.compute_scaling``: the exponent measured with p = ratio x n;
- each benchmark's fitted slope b of log10(error) on log10(compute): e = -1/b, with
  Fieller's interval, the bootstrap interval of b mapped through -1/b, and a status.
"""

from __future__ import annotations

from typing import Any, Dict

import numpy as np

from .._figures import save_figure
from ..status import Status, describe
from .document import SINGULAR_BOOTSTRAP, format_flop, format_interval

DOUBLE_DESCENT_GAMMAS = (0.1, 0.2, 0.3, 0.5, 0.7, 0.85, 1.2, 1.5, 2.0, 3.0, 5.0, 8.0)
SCALING_RATIO = 2.0
SCALING_SIGMA = 1.0
PAPER_BOUND = 4.0


def _interval_text(low, high, kind: str) -> str:
    if kind == "bounded":
        return f"[{low:.3g}, {high:.3g}]"
    if kind == "exclusive":
        return f"two-sided infinite: at most {low:.3g} or at least {high:.3g}"
    return "unbounded"


def theory_section(doc, results: Dict[str, Any], figures, settings, seed, threads, fits) -> None:
    """Paper simulation, double descent, and the measured and empirical exponents beside k^4."""
    from .. import simulate
    from ..simulate import plots as simulate_plots

    paper = simulate.paper_experiment(
        settings.paper_reps, sizes=settings.paper_sizes, seed=seed, threads=threads, progress=False
    )
    figure = simulate_plots.paper_figure(paper)
    save_figure(figure, figures / "theory_paper.png")
    n = settings.double_descent_n
    p_values = sorted({round(g * n) for g in DOUBLE_DESCENT_GAMMAS if abs(round(g * n) - n) >= 5})
    dd = simulate.double_descent(n, p_values, settings.double_descent_reps, seed=seed, threads=threads, progress=False)
    dd_figure = simulate_plots.double_descent_figure(dd)
    save_figure(dd_figure, figures / "theory_double_descent.png")
    reach = paper.compute_to_reach
    scaling = {
        estimator: simulate.compute_scaling(
            (SCALING_RATIO,),
            settings.scaling_n_values,
            estimator=estimator,
            reps=settings.scaling_reps,
            sigma=SCALING_SIGMA,
            n_resamples=settings.bootstrap_resamples,
            seed=seed,
            threads=threads,
            progress=False,
        )
        for estimator in ("min_norm", "sgd")
    }
    results["theory"] = {
        "paper_experiment": {
            "reps": paper.reps,
            "sizes": paper.sizes,
            "models": list(paper.models),
            "performance_mean": paper.performance_mean,
            "performance_se": paper.performance_se,
            "flops_mean": paper.flops_mean,
            "levels": paper.levels,
            "compute_to_reach": reach,
            "params": paper.params,
        },
        "double_descent": {"n": n, "reps": settings.double_descent_reps, "table": dd.to_frame().to_dict(orient="list")},
        "exponents": {
            "paper_bound": PAPER_BOUND,
            "compute_scaling": {
                name: {
                    "ratio": SCALING_RATIO,
                    "sigma": SCALING_SIGMA,
                    "n_values": list(result.n_values),
                    "reps": result.reps,
                    "error_mean": result.error_mean[0],
                    "exponents": [item.to_dict() for item in result.exponents],
                }
                for name, result in scaling.items()
            },
            "benchmarks": [
                {
                    key: getattr(f, key)
                    for key in (
                        "benchmark",
                        "model",
                        "status",
                        "exponent",
                        "exponent_low",
                        "exponent_high",
                        "exponent_kind",
                        "exponent_bootstrap_low",
                        "exponent_bootstrap_high",
                    )
                }
                for f in fits
                if f.model == "polynomial"
            ],
        },
    }
    section = doc.section("Theory: compute must grow faster than data")
    section.paragraph(
        f"The paper's simulation ({paper.reps} replicates): {paper.params.get('p', 1000)} candidate features, "
        f"{paper.params.get('k', 10)} of them true. The oracle fits exactly the true features, the expert "
        "misses one, the flexible model fits all of them (OLS, or the minimum-norm interpolator when n < p) "
        "and the regularized flexible model is the lasso. Performance is -log10 of the normalized MSE "
        "against the optimal predictor; computation is the FLOPs to fit at that n."
    )
    section.figure("figures/theory_paper.png", "Performance and computation against sample size")
    rows = []
    for i, level in enumerate(paper.levels):
        rows.append(
            [f"{level:g}"]
            + ["never" if not np.isfinite(reach[i, m]) else format_flop(reach[i, m]) for m in range(len(paper.models))]
        )
    section.table(
        ["performance"] + list(paper.models),
        rows,
        caption="FLOPs needed to reach each performance level (mean over replicates)",
    )
    table = dd.to_frame()
    section.paragraph(
        f"Double descent at n = {n} ({settings.double_descent_reps} replicates): Monte Carlo excess risk "
        "of the minimum-norm least-squares estimate against its exact finite-sample expectation "
        "(Belkin, Hsu and Xu 2019)."
    )
    section.figure("figures/theory_double_descent.png", "Excess risk against p/n, Monte Carlo and closed form")
    section.table(
        ["p", "p/n", "excess risk (MC)", "SE", "exact"],
        [
            [
                int(r.p),
                f"{r.gamma:.2f}",
                f"{r.excess_risk_mean:.4g}",
                f"{r.excess_risk_se:.2g}",
                f"{r.excess_risk_exact:.4g}",
            ]
            for r in table.itertuples()
        ],
    )
    _exponent_block(section, scaling, fits, settings)


def _exponent_block(section, scaling, fits, settings) -> None:
    floor = SCALING_SIGMA**2 / (SCALING_RATIO - 1.0) + (1.0 - 1.0 / SCALING_RATIO)
    section.paragraph(
        "How fast must compute grow for a k-fold improvement? Compute grows like (1/error)^e. The paper argues "
        f"e >= {PAPER_BOUND:g} in the over-parameterized regime (k^2 more data for an error falling like "
        "1/sqrt(n), and parameters growing with the data); for a mean squared error, such as the excess risk "
        f"below, the same argument gives e >= {PAPER_BOUND / 2:g}. Measured: p = {SCALING_RATIO:g} n, noise sigma = "
        f"{SCALING_SIGMA:g}, n = {', '.join(str(v) for v in settings.scaling_n_values)}, "
        f"{settings.scaling_reps} replicates; e = -1/b from the OLS slope b of log10(mean excess risk) on log10(compute), "
        "95% BCa interval from resampled replicates. When p grows in proportion to n the excess risk tends to a "
        f"floor (minimum-norm, isotropic features: signal (1 - n/p) + sigma^2 n/(p - n - 1) -> {floor:.3g}; "
        "Hastie et al. 2022), so the error barely falls: the measured slope is small or not significant, and the "
        "exponent is far above the paper's bound or undetermined. Each benchmark's e = -1/b comes from its "
        "polynomial fit; its interval is Fieller's (t-based), beside the bootstrap interval of b mapped through -1/b."
    )
    rows = [["paper's lower bound (Thompson et al. 2020)", "-", f">= {PAPER_BOUND:g}", "-", "-", "bound"]]
    for name, result in scaling.items():
        for item in result.exponents:
            label = "p x n" if item.measure == "params_x_data" else "counted FLOPs"
            interval = (
                f"[{item.low:.3g}, {item.high:.3g}]"
                if item.status is Status.OK
                else f"b's interval {format_interval(item.slope_low, item.slope_high, '.3g')} includes zero"
                + (f": e >= {item.lower_bound:.3g} if the error falls at all" if item.lower_bound else "")
                if item.status is Status.NOT_SIGNIFICANT
                else "-"
            )
            value = f"{item.exponent:.3g}" if item.status is Status.OK else describe(item.status)
            rows.append(
                [
                    f"simulation: {name.replace('_', '-')}, compute = {label}",
                    f"{item.slope:.4g}",
                    value,
                    "-",
                    interval,
                    item.status.value,
                ]
            )
            if item.exact_exponent is not None:
                rows.append(
                    [
                        f"closed form: expected min-norm risk, compute = {label}",
                        f"{item.exact_slope:.4g}",
                        f"{item.exact_exponent:.3g}",
                        "-",
                        "-",
                        "exact",
                    ]
                )
    for f in fits:
        if f.model != "polynomial":
            continue
        status = Status(f.status)
        value = f"{f.exponent:.3g}" if status is Status.OK else describe(status)
        if f.exponent_bootstrap_low is not None:
            boot = f"[{f.exponent_bootstrap_low:.3g}, {f.exponent_bootstrap_high:.3g}]"
        elif not (np.isfinite(f.slope_low) and np.isfinite(f.slope_high)):
            boot = SINGULAR_BOOTSTRAP
        else:
            boot = "b's interval includes zero"
        rows.append(
            [
                f"benchmark: {f.benchmark} ({f.points} points)",
                f"{f.slope:.4g}",
                value,
                _interval_text(f.exponent_low, f.exponent_high, f.exponent_kind),
                boot,
                status.value,
            ]
        )
    section.table(
        ["source", "slope b", "exponent e = -1/b", "95% Fieller interval", "95% bootstrap interval", "status"],
        rows,
        caption="The exponent of compute against 1/error: bound, simulation, benchmarks",
    )
