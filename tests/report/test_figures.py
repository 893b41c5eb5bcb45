"""Report figures: labels never overlap, panels share the compute axis, fonts are readable, no NaN drawn."""

import itertools

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection

from computelimits import _figures, datasets, exceptions, fit, simulate
from computelimits.fit import plots
from computelimits.fit.models import frontier_mask
from computelimits.report import empirical
from computelimits.simulate import plots as simulate_plots


def _crowded(seed=0, n=60):
    """Many points in a narrow band, the kind of data whose labels piled up."""
    rng = np.random.default_rng(seed)
    compute = 10 ** rng.uniform(18, 21, n)
    error = 10 ** (0.4 - 0.08 * np.log10(compute) + rng.normal(0, 0.05, n))
    return compute, error, [f"model number {i} (a long name)" for i in range(n)]


def _text_boxes(annotations):
    from matplotlib.text import Text

    renderer = annotations[0].figure.canvas.get_renderer()
    return [Text.get_window_extent(a, renderer) for a in annotations]


def test_labels_never_overlap_and_sit_on_the_frontier():
    compute, error, labels = _crowded()
    result = fit.fit_compute_error(compute, error)
    ax = plots.plot_compute_error(result, targets=(0.05,), labels=labels)
    placed = [t for t in ax.texts if t.get_text().startswith("model number")]
    assert placed, "no label was placed"
    boxes = _text_boxes(placed)
    for first, second in itertools.combinations(boxes, 2):
        assert not first.overlaps(second)
    frame = ax.get_window_extent()
    for box in boxes:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    # Only Pareto-frontier points are labelled.
    front = {labels[i] for i in np.flatnonzero(frontier_mask(compute, error, by="compute"))}
    assert {t.get_text() for t in placed} <= front
    # Nor do labels cover the legend.
    legend = ax.get_legend().get_window_extent()
    assert not any(box.overlaps(legend) for box in boxes)
    _figures.pyplot().close(ax.figure)


def test_place_labels_drops_what_cannot_fit():
    _, ax = _figures.new_figure(width=3, height=2)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    # Ten labels on one spot: at most one per offset can be placed, never two on top of each other.
    placed = _figures.place_labels(ax, [0.5] * 10, [0.5] * 10, [f"label {i}" for i in range(10)])
    assert 1 <= len(placed) <= len(_figures.LABEL_OFFSETS)
    for first, second in itertools.combinations(_text_boxes(placed), 2):
        assert not first.overlaps(second)
    with pytest.raises(ValueError, match="labels"):
        _figures.place_labels(ax, [0.5], [0.5], ["a", "b"])
    _figures.pyplot().close(ax.figure)


@pytest.fixture(scope="module")
def imagenet_panels():
    frame = datasets.paper_results("imagenet")
    compute, error, labels = empirical.benchmark_points(frame, "imagenet", "hardware_burden_flop")
    panels = []
    for model in fit.models.MODELS:
        result = fit.fit_compute_error(compute, error, model=model)
        boot = fit.bootstrap_fit(result.fit, 99, "pairs", "percentile", 0.95, 0, 1)
        panels.append((model, result, boot))
    return panels, labels


def test_benchmark_panels_share_one_compute_axis(imagenet_panels):
    panels, labels = imagenet_panels
    figure = empirical.benchmark_figure("imagenet", panels, labels)
    left, right = figure.axes[:2]
    assert left.get_xlim() == right.get_xlim()
    # The axis shows the data and the polynomial fit's reach of 1% error (~1e37 FLOP; the exponential's is ~1e26).
    low, high = np.log10(left.get_xlim())
    reach = panels[0][1].log10_compute_for_error(0.01)
    assert low < np.log10(panels[0][1].compute).min() and reach < high
    for ax in (left, right):
        boxes = _text_boxes([t for t in ax.texts if t.get_text() in labels])
        for first, second in itertools.combinations(boxes, 2):
            assert not first.overlaps(second)
    _figures.pyplot().close(figure)


def _assert_readable(figure):
    sizes = _figures.figure_texts_font_sizes(figure)
    assert sizes and min(sizes) >= _figures.MIN_FONT_POINTS
    width, _ = figure.get_size_inches()
    assert width <= _figures.MAX_WIDTH_INCHES and figure.dpi == _figures.DPI


def test_every_figure_is_readable_at_its_embedded_width(imagenet_panels):
    panels, labels = imagenet_panels
    figures = [empirical.benchmark_figure("imagenet", panels, labels)]
    compute, error = panels[0][1].compute, panels[0][1].error
    projection = fit.project(compute, error, [0.05, 0.01], n_resamples=99, seed=0, benchmark="imagenet")
    figures.append(plots.plot_projections([dict(r) for r in projection.rows]).figure)
    years = np.array([2012.0, 2013, 2014, 2015, 2016, 2017, 2018, 2019])
    compute = 1e18 * 2.0 ** (2 * (years - 2012) + np.array([0.3, -0.2, 0.1, 0.0, -0.3, 0.2, 0.1, -0.1]))
    trend = fit.doubling_time(years, compute, n_resamples=99, seed=0)
    figures.append(plots.plot_compute_trend(years, compute, trend).figure)
    paper = simulate.paper_experiment(3, sizes=(20, 40, 80), seed=0, threads=1, progress=False)
    figures.append(simulate_plots.paper_figure(paper))
    dd = simulate.double_descent(30, [10, 20, 45, 60], 3, seed=0, threads=1, progress=False)
    figures.append(simulate_plots.double_descent_figure(dd))
    sgd = simulate.sgd_scaling(reps=2, seed=0, threads=1, progress=False)
    figures.append(simulate_plots.sgd_figure(sgd))
    for figure in figures:
        figure.draw_without_rendering()
        _assert_readable(figure)
        _figures.pyplot().close(figure)


def test_a_band_from_singular_resamples_is_not_drawn():
    compute = np.array([1e18, 1e19, 1e20, 1e21, 1e22])
    error = np.array([0.30, 0.25, 0.21, 0.17, 0.15])
    result = fit.fit_compute_error(compute, error)
    draws = np.full((50, 2), np.nan)
    ax = plots.plot_compute_error(result, draws)
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]
    low, high = plots.prediction_band(result, draws, np.array([18.0, 19.0]))
    assert np.isnan(low).all() and np.isnan(high).all()
    _figures.pyplot().close(ax.figure)


def test_a_single_replicate_draws_no_interval():
    with pytest.warns(exceptions.OneReplicateWarning, match="reps=1"):
        paper = simulate.paper_experiment(1, sizes=(20, 40, 80), seed=0, threads=1, progress=False)
    assert np.isnan(paper.performance_ci_low).all()
    figure = simulate_plots.paper_figure(paper)
    left = figure.axes[0]
    assert not [c for c in left.collections if isinstance(c, PolyCollection) and len(c.get_paths())]


def test_the_level_keyword_is_deprecated():
    compute = np.array([1e18, 1e19, 1e20, 1e21, 1e22])
    result = fit.fit_compute_error(compute, np.array([0.30, 0.25, 0.21, 0.17, 0.15]))
    with pytest.warns(DeprecationWarning, match="confidence_level"):
        ax = plots.plot_compute_error(result, level=0.9)
    _figures.pyplot().close(ax.figure)


def _tick_label_boxes(axis):
    renderer = axis.figure.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]


def test_size_ticks_of_the_paper_figure_do_not_run_into_each_other():
    # The report's sizes: twelve, 1.5x apart, 20 ... 1600 (where "1074" and "1600" touched).
    paper = simulate.paper_experiment(2, seed=0, threads=1, progress=False)
    assert len(paper.sizes) > simulate_plots.MAX_SIZE_TICKS
    figure = simulate_plots.paper_figure(paper)
    FigureCanvasAgg(figure)
    figure.draw_without_rendering()
    for ax in figure.axes:
        # Apart by at least 6 pixels (about half a digit), not merely not overlapping.
        boxes = [box.padded(3) for box in _tick_label_boxes(ax.xaxis)]
        assert len(boxes) >= 2
        for first, second in itertools.combinations(boxes, 2):
            assert not first.overlaps(second)
    labels = [t.get_text() for t in figure.axes[0].xaxis.get_ticklabels() if t.get_text()]
    assert labels[-1] == str(paper.sizes.max()) and len(labels) <= simulate_plots.MAX_SIZE_TICKS
    _figures.pyplot().close(figure)
