"""The projections figure draws determined intervals only and marks the rest with their status."""

import numpy as np
from matplotlib.patches import Rectangle

from computelimits import fit
from computelimits.fit.plots import plot_projections as projection_axes


def test_undetermined_rows_are_hatched_and_labelled_not_drawn():
    compute = 10.0 ** np.array([18.0, 19.0, 20.0, 21.0, 22.0, 23.0])
    falling = 10 ** (0.5 - 0.05 * np.log10(compute) + np.array([0.01, -0.01, 0.0, 0.01, -0.01, 0.0]))
    rising = np.array([0.10, 0.12, 0.13, 0.16, 0.18, 0.21])
    rows = []
    for error, name in ((falling, "good"), (rising, "bad")):
        result = fit.project(compute, error, [0.05, 1e-30], ["polynomial"], n_resamples=99, seed=0, benchmark=name)
        rows += [dict(r) for r in result.rows]
    statuses = [r["status"] for r in rows]
    assert statuses == ["ok", "beyond range", "wrong sign", "wrong sign"]
    ax = projection_axes(rows)
    hatched = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_hatch() == "///"]
    assert sorted(round(p.get_y() + 0.3) for p in hatched) == [1, 2, 3]
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("undetermined: the fitted trend has the wrong sign") == 2
    assert "undetermined: beyond the range of a float" in texts
    # Only the determined row (y = 0) has a bar and a point; the other line is the $100 billion rule.
    drawn = [
        line for line in ax.lines if len(set(np.asarray(line.get_xdata(), float))) != 1 or len(line.get_xdata()) == 1
    ]
    assert sorted({float(line.get_ydata()[0]) for line in drawn}) == [0.0] and len(drawn) == 2
    import matplotlib.pyplot as plt

    plt.close(ax.figure)
