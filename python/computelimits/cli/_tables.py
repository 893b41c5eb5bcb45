"""Reading compute and error from a user's table, with percentages detected.

Errors are fractions in (0, 1). A column of accuracies or errors may come in percent; it is
read as percent when every value lies in (1, 100] (a fraction is never above 1), divided by
100 with a note, and refused when it mixes values at most 1 with values above 1 (each reading
would change some rows). Where the column is an accuracy (or a score, as F1 or BLEU on their
0-100 scales), the error is 1 - accuracy, as Thompson et al. (2020) do.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence, Tuple

import numpy as np

COMPUTE_COLUMNS = (
    "hardware_burden_flop",
    "compute_flop",
    "flop",
    "compute",
    "hardware_burden_gflop",
    "hardware_burden",
)
# Compute columns in GFLOP (Computer Progress's hardware_burden is GFLOP: the paper's convention).
GFLOP_COLUMNS = ("hardware_burden",)
ACCURACY_WORDS = ("accuracy", "score", "f1", "bleu", "ap")


def _in_gflop(column: str) -> bool:
    return column.endswith("_gflop") or column in GFLOP_COLUMNS


def is_accuracy_column(column: str) -> bool:
    """True when the column holds an accuracy-like score (higher is better): its name says so."""
    words = column.lower().replace("-", "_").split("_")
    return any(word in ACCURACY_WORDS for word in words)


def as_fraction(values: np.ndarray, column: str, note: Callable[[str], None]) -> np.ndarray:
    """``values`` as fractions: unchanged when all are at most 1, divided by 100 (with a note) when
    all lie in (1, 100], else ValueError naming the column and an example of each kind."""
    known = values[np.isfinite(values)]
    if known.size == 0:
        raise ValueError(f"column {column!r} has no numbers")
    if np.any(known <= 0) and not is_accuracy_column(column):
        bad = known[known <= 0][0]
        raise ValueError(f"column {column!r} must hold errors > 0, got {bad:g}")
    above = known > 1.0
    if not above.any():
        return values
    if above.all():
        if np.any(known > 100.0):
            raise ValueError(
                f"column {column!r} has values above 100 (e.g. {known[known > 100.0][0]:g}): "
                "neither a fraction nor a percentage"
            )
        note(f"note: column {column!r} is in percent (every value in (1, 100]); divided by 100")
        return values / 100.0
    small, large = known[~above][0], known[above][0]
    raise ValueError(
        f"column {column!r} mixes fractions and percentages (e.g. {small:g} and {large:g}): "
        "give every value as a fraction in (0, 1) or every value in percent"
    )


def compute_and_error(
    frame,
    compute_column: Optional[str],
    error_column: Optional[str],
    note: Callable[[str], None] = print,
    compute_columns: Sequence[str] = COMPUTE_COLUMNS,
) -> Tuple[np.ndarray, np.ndarray]:
    """(compute in FLOP, error as a fraction) from a table.

    Compute: ``compute_column`` or the first of ``compute_columns`` present (GFLOP columns times
    1e9). Error: ``error_column`` (1 - value when its name says accuracy or score), else 'error',
    else 1 - 'accuracy'; percentages are detected by ``as_fraction``.
    """
    columns = list(frame.columns)
    column = compute_column or next((c for c in compute_columns if c in columns), None)
    if column is None or column not in columns:
        wanted = f"--compute-column {compute_column!r}" if compute_column else f"a compute column ({compute_columns})"
        raise ValueError(f"{wanted} not found; columns are {columns}")
    compute = frame[column].to_numpy(dtype=float) * (1e9 if _in_gflop(column) else 1.0)
    if error_column is not None:
        if error_column not in columns:
            raise ValueError(f"--error-column {error_column!r} not found; columns are {columns}")
        source = error_column
    elif "error" in columns:
        source = "error"
    elif "accuracy" in columns:
        source = "accuracy"
    else:
        raise ValueError(f"no 'error' or 'accuracy' column (or give --error-column); columns are {columns}")
    values = as_fraction(frame[source].to_numpy(dtype=float), source, note)
    if is_accuracy_column(source):
        values = 1.0 - values
    bad = np.isfinite(values) & ~((values > 0) & (values < 1))
    if bad.any():
        kind = "1 - accuracy" if is_accuracy_column(source) else "error"
        raise ValueError(f"{kind} from column {source!r} must lie in (0, 1), got {values[bad][0]:g}")
    return compute, values
