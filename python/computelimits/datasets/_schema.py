"""Standard column names shared by the embedded dataset and the loaders."""

from __future__ import annotations

import math
from typing import Dict, Tuple

# Benchmarks of Thompson et al. (2020), keyed as in the Computer Progress data.
BENCHMARKS: Tuple[str, ...] = (
    "imagenet",
    "mscoco",
    "squad1_1",
    "conll2003",
    "wmt2014_en_fr",
    "wmt2014_en_de",
)

# Metrics per benchmark: the first is the paper's primary one.
METRICS: Dict[str, Tuple[str, ...]] = {
    "imagenet": ("top1", "top5"),
    "mscoco": ("box_ap",),
    "squad1_1": ("f1",),
    "conll2003": ("f1",),
    "wmt2014_en_fr": ("bleu",),
    "wmt2014_en_de": ("bleu",),
}
PRIMARY_METRIC: Dict[str, str] = {name: metrics[0] for name, metrics in METRICS.items()}

# Standard columns every loader can produce (a loader fills the ones its source has).
STANDARD_COLUMNS: Tuple[str, ...] = (
    "benchmark",
    "metric",
    "value",
    "accuracy",
    "error",
    "model",
    "year",
    "title",
    "source",
    "hardware",
    "processor_count",
    "training_seconds",
    "processor_hours",
    "epochs",
    "training_examples",
    "forward_flop",
    "hardware_burden_flop",
    "network_computation_flop",
    "training_compute_flop",
    "parameters",
)
NUMERIC_COLUMNS = frozenset(
    {
        "value",
        "accuracy",
        "error",
        "year",
        "processor_count",
        "training_seconds",
        "processor_hours",
        "epochs",
        "training_examples",
        "forward_flop",
        "hardware_burden_flop",
        "network_computation_flop",
        "training_compute_flop",
        "parameters",
    }
)


class DataFormatError(ValueError):
    """A malformed data file: the message names the file, the line and the column."""

    def __init__(self, path: str, line: int, column: str, message: str) -> None:
        super().__init__(f"{path}, line {line}, column {column!r}: {message}")
        self.path = path
        self.line = line
        self.column = column


def parse_number(text: str, *, path: str, line: int, column: str, minimum: float = 0.0) -> float:
    """Parse a number cell ("" -> NaN). Accepts scientific notation and thousands
    separators ("1,234"); rejects anything else, negatives (below ``minimum``)
    and infinities with a DataFormatError naming the file, line and column."""
    cell = text.strip()
    if cell == "":
        return math.nan
    try:
        value = float(cell.replace(",", "").replace("_", ""))
    except ValueError:
        raise DataFormatError(path, line, column, f"expected a number, got {text!r}") from None
    if math.isnan(value) or math.isinf(value):
        raise DataFormatError(path, line, column, f"expected a finite number, got {text!r}")
    if value < minimum:
        raise DataFormatError(path, line, column, f"expected a number >= {minimum:g}, got {text!r}")
    return value


def error_from_value(metric: str, value: float) -> float:
    """Error as a fraction: 1 - value/100 for every metric here (accuracy in %,
    box AP, F1 and BLEU on their 0-100 scales), as Thompson et al. do."""
    if metric not in {m for ms in METRICS.values() for m in ms}:
        raise ValueError(f"metric must be one of the known metrics, got {metric!r}")
    return 1.0 - value / 100.0
