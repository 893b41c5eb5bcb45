"""What every figure of the package shares: the backend, sizes, fonts and non-overlapping labels.

Figures are drawn at ``DPI`` dots per inch and at most ``MAX_WIDTH_INCHES`` wide, so a PNG is at
most ``DPI * MAX_WIDTH_INCHES`` pixels wide: the width report.html shows it at (its column is
wider), so a point of text is ``DPI / 72`` screen pixels there and no text is smaller than
``MIN_FONT_POINTS``.

Labels: :func:`place_labels` writes each label beside its point at the first of a few offsets
where its box overlaps no label already placed, no obstacle (the legend, other texts) and stays
inside the axes; a label that fits nowhere is left out. Boxes are compared in display
coordinates for the figure's current layout, so call it once the layout is final
(:func:`freeze_layout`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import List, Optional, Union

import numpy as np

DPI = 100
MAX_WIDTH_INCHES = 10.0
MIN_FONT_POINTS = 8.0
LABEL_FONT_POINTS = 8.0
LEGEND_FONT_POINTS = 8.0
# Offsets (points) tried in turn for a label, with its alignment: beside the point (right-above,
# right-below, left-above, left-below), then centred above and below it, then further off (these
# with a thin leader line to the point).
LABEL_OFFSETS = (
    (5, 2, "left", "bottom"),
    (5, -2, "left", "top"),
    (-5, 2, "right", "bottom"),
    (-5, -2, "right", "top"),
    (0, 6, "center", "bottom"),
    (0, -6, "center", "top"),
    (10, 14, "left", "bottom"),
    (10, -14, "left", "top"),
    (-10, 14, "right", "bottom"),
    (-10, -14, "right", "top"),
)
# Offsets at least this far (points) get a leader line.
LEADER_DISTANCE_POINTS = 10.0
# Pixels kept free around each placed label, so a small layout change cannot make two touch.
LABEL_PADDING_PIXELS = 2.0
# Half the side of the box kept free around a scatter marker (s = 22 points^2 is about 4.7 pt wide).
POINT_RADIUS_PIXELS = 3.5


def pyplot():
    """matplotlib.pyplot, on the Agg backend unless pyplot was already set up (e.g. by Jupyter)."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def new_figure(ncols: int = 1, *, width: float = 6.0, height: float = 4.2, nrows: int = 1):
    """A figure ``width`` x ``height`` inches (width capped at ``MAX_WIDTH_INCHES``) with
    constrained layout and an array of ``nrows`` x ``ncols`` axes (a single axes when 1 x 1)."""
    if not width > 0 or not height > 0:
        raise ValueError(f"width and height must be positive inches, got {width!r} x {height!r}")
    plt = pyplot()
    figure, axes = plt.subplots(
        nrows, ncols, figsize=(min(width, MAX_WIDTH_INCHES), height), dpi=DPI, layout="constrained", squeeze=True
    )
    return figure, axes


def freeze_layout(figure) -> None:
    """Run the figure's layout engine once and keep the result: later draws move no axes,
    so boxes measured now (labels placed by :func:`place_labels`) stay where they were."""
    figure.draw_without_rendering()
    figure.set_layout_engine("none")


def freeze_legend(legend) -> None:
    """Pin a ``loc="best"`` legend where it was last drawn: "best" avoids texts, so labels added
    afterwards would otherwise move it on the next draw."""
    if legend is None:
        return
    axes = legend.axes
    box = legend.get_window_extent().transformed(axes.transAxes.inverted())
    legend.set_loc((float(box.x0), float(box.y0)))


def _overlaps(box, others: Sequence) -> bool:
    return any(box.overlaps(other) for other in others)


def place_labels(
    ax,
    x: Sequence[float],
    y: Sequence[float],
    labels: Sequence[str],
    *,
    obstacles: Sequence = (),
    avoid_points: Optional[Union[np.ndarray, Sequence[Sequence[float]]]] = None,
    fontsize: float = LABEL_FONT_POINTS,
    color: str = "0.25",
) -> List:
    """Annotate point i with labels[i] where the label overlaps no other; return the annotations.

    Points are labelled in the order given; each label tries ``LABEL_OFFSETS`` in turn and is
    dropped when every offset overlaps a label already placed, an obstacle (a display-space
    ``Bbox`` or an artist with ``get_window_extent``), a marker of ``avoid_points`` ((x, y) data
    coordinates, e.g. every point of the scatter; a box of ``POINT_RADIUS_PIXELS`` around each)
    or the axes' edge.
    """
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    if not (len(x) == len(y) == len(labels)):
        raise ValueError(f"x, y and labels must have one entry per point, got {len(x)}, {len(y)}, {len(labels)}")
    figure = ax.figure
    renderer = figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken = []
    for obstacle in obstacles:
        if obstacle is None:
            continue
        taken.append(obstacle if hasattr(obstacle, "overlaps") else obstacle.get_window_extent(renderer))
    if avoid_points is not None and len(avoid_points):
        centres = ax.transData.transform(np.asarray(avoid_points, dtype=float).reshape(-1, 2))
        r = POINT_RADIUS_PIXELS
        for cx, cy in centres[np.all(np.isfinite(centres), axis=1)]:
            taken.append(Bbox([[cx - r, cy - r], [cx + r, cy + r]]))
    placed = []
    for xi, yi, text in zip(x, y, labels):
        if not (np.isfinite(xi) and np.isfinite(yi)):
            continue
        for dx, dy, ha, va in LABEL_OFFSETS:
            annotation = ax.annotate(
                str(text),
                (xi, yi),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=fontsize,
                color=color,
                arrowprops=(
                    {"arrowstyle": "-", "color": "0.6", "lw": 0.5, "shrinkA": 0, "shrinkB": 3}
                    if max(abs(dx), abs(dy)) >= LEADER_DISTANCE_POINTS
                    else None
                ),
            )
            annotation.get_window_extent(renderer)  # positions the text (and its leader line)
            box = Text.get_window_extent(annotation, renderer).padded(LABEL_PADDING_PIXELS)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not _overlaps(box, taken):
                taken.append(box)
                placed.append(annotation)
                break
            annotation.remove()
    return placed


def save_figure(figure, path, *, close: bool = True) -> Path:
    """Write ``figure`` as a PNG at ``DPI`` (its layout engine, if any, runs once more) and close it."""
    path = Path(path)
    figure.savefig(path, dpi=DPI)
    if close:
        pyplot().close(figure)
    return path


def figure_texts_font_sizes(figure) -> List[float]:
    """Font sizes (points) of every visible text of ``figure``: titles, labels, ticks, legends, notes."""
    from matplotlib.text import Text

    return [t.get_fontsize() for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def label_boxes(ax) -> List:
    """Display-space boxes of the axes' annotations (for tests and callers that add their own)."""
    renderer = ax.figure.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in ax.texts if t.get_visible()]


def is_finite_band(low: Optional[np.ndarray], high: Optional[np.ndarray]) -> np.ndarray:
    """Mask of grid points where both ends of an interval are finite numbers."""
    if low is None or high is None:
        return np.zeros(0, dtype=bool)
    return np.isfinite(np.asarray(low, float)) & np.isfinite(np.asarray(high, float))
