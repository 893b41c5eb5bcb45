"""The report's theory section: the paper's simulation, double descent, and the exponent side by side.

The exponent of compute against 1/error appears three ways (``theory_exponents``):

- the paper's claim (Thompson et al. 2020, sec. 2): a k-fold improvement costs at least
  k^4 compute in the over-parameterized regime (exponent 4 against a root error such as
  an error rate; 2 against a mean squared error such as the excess risk);
- ``simulate.compute_scaling``: the exponent measured with p = 2n, headlined by the lasso
  on a sparse truth (the paper's own regime) beside its closed forms, and contrasted with
  min-norm and SGD (no penalty), whose error tends to a floor;
- each benchmark's fitted slope b of log10(error) on log10(compute): e = -1/b, with
  Fieller's interval, the bootstrap interval of b mapped through -1/b, and a status.
"""

from __future__ import annotations

from typing import Any, Dict

import numpy as np

from .._figures import save_figure
from . import theory_exponents
from .document import format_flop

DOUBLE_DESCENT_GAMMAS = (0.1, 0.2, 0.3, 0.5, 0.7, 0.85, 1.2, 1.5, 2.0, 3.0, 5.0, 8.0)


def theory_section(doc, results: Dict[str, Any], figures, settings, seed, threads, fits, executor=None) -> None:
    """Paper simulation, double descent, and the measured and empirical exponents beside k^4."""
    from .. import simulate
    from ..simulate import plots as simulate_plots

    paper = simulate.paper_experiment(
        settings.paper_reps, sizes=settings.paper_sizes, seed=seed, threads=threads, progress=False, executor=executor
    )
    figure = simulate_plots.paper_figure(paper)
    save_figure(figure, figures / "theory_paper.png")
    n = settings.double_descent_n
    p_values = sorted({round(g * n) for g in DOUBLE_DESCENT_GAMMAS if abs(round(g * n) - n) >= 5})
    dd = simulate.double_descent(
        n, p_values, settings.double_descent_reps, seed=seed, threads=threads, progress=False, executor=executor
    )
    dd_figure = simulate_plots.double_descent_figure(dd)
    save_figure(dd_figure, figures / "theory_double_descent.png")
    reach = paper.compute_to_reach
    scaling = theory_exponents.run_scaling(settings, seed, threads, executor)
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
            "params": paper.settings,
        },
        "double_descent": {"n": n, "reps": settings.double_descent_reps, "table": dd.to_frame().to_dict(orient="list")},
        "exponents": theory_exponents.exponent_results(scaling, fits),
    }
    section = doc.section("Theory: compute must grow faster than data")
    section.paragraph(
        f"The paper's simulation ({paper.reps} replicates): {paper.settings.get('p', 1000)} candidate features, "
        f"{paper.settings.get('k', 10)} of them true. The oracle fits exactly the true features, the expert "
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
    theory_exponents.exponent_block(section, scaling, fits, settings)
