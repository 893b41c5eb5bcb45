"""The embedded paper dataset: figures compiled from the primary papers.

Typed in (``data/papers.csv``): benchmark, model, year, title, source, evaluation
split, scores, hardware (a catalogue name), processor count, training hours or
total processor-hours, epochs, training examples, forward multiply-accumulates
per example, which figures are secondary, and notes saying where each figure
is in the paper. Derived here, never typed in:

- hardware_burden_flop = processor_count x peak x training_seconds, or
  peak x processor_hours x 3600 when the paper states device-hours
  (peak = FP32 for GPUs, bf16 matrix-unit peak for TPUs; Thompson et al. 2020);
- forward_flop = 2 x forward_macs (one multiply-accumulate = 2 FLOP);
- network_computation_flop = forward_flop x training_examples x epochs
  (forward passes only: FLOPs per pass x passes per epoch x epochs, Thompson et al. 2020);
  training_flop = 3 x that
  (backward ~ 2 x forward).
"""

from __future__ import annotations

import csv
import io
import math
from importlib import resources
from typing import Any, Dict, List, Optional

from ..hardware import get_processor, hardware_burden
from ._schema import BENCHMARKS, METRICS, PRIMARY_METRIC, DataFormatError, error_from_value, parse_number

PAPERS_FILE = "papers.csv"
_FIELDS = (
    "benchmark",
    "model",
    "year",
    "title",
    "source",
    "split",
    "score",
    "score_top5",
    "hardware",
    "processor_count",
    "training_hours",
    "processor_hours",
    "epochs",
    "training_examples",
    "forward_macs",
    "secondary",
    "notes",
)
_NUMBERS = (
    "score",
    "score_top5",
    "processor_count",
    "training_hours",
    "processor_hours",
    "epochs",
    "training_examples",
    "forward_macs",
)

OUTPUT_COLUMNS = (
    "benchmark",
    "metric",
    "value",
    "error",
    "model",
    "year",
    "title",
    "source",
    "split",
    "hardware",
    "processor_count",
    "training_seconds",
    "processor_hours",
    "epochs",
    "training_examples",
    "forward_macs",
    "forward_flop",
    "hardware_burden_flop",
    "network_computation_flop",
    "training_flop",
    "secondary",
    "notes",
)


def _read_text() -> str:
    return resources.files(__package__).joinpath("data").joinpath(PAPERS_FILE).read_text(encoding="utf-8")


def parse_papers(text: str, path: str = PAPERS_FILE) -> List[Dict[str, Any]]:
    """Parse and check papers.csv text; one dict per (paper, model) entry with derived compute.

    Raises DataFormatError naming the file, line and column of the first bad cell.

    Parameters
    ----------
    text : str
        The CSV text, with papers.csv's header.
    path : str, default "papers.csv"
        The name to report in errors.

    Returns
    -------
    list of dict
        One entry per (paper, model), with the derived compute columns.

    Examples
    --------
    >>> from computelimits import datasets
    >>> datasets.parse_papers("benchmark,model")
    Traceback (most recent call last):
    ...
    computelimits.datasets._schema.DataFormatError: papers.csv, line 1, column 'header': expected columns ...
    """
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != _FIELDS:
        raise DataFormatError(path, 1, "header", f"expected columns {_FIELDS}, got {reader.fieldnames}")
    entries = []
    seen = set()
    for record in reader:
        line = reader.line_num
        row: Dict[str, Any] = {k: (record[k] or "").strip() for k in _FIELDS}
        if None in record:
            raise DataFormatError(path, line, "notes", "too many fields")
        if row["benchmark"] not in BENCHMARKS:
            raise DataFormatError(path, line, "benchmark", f"expected one of {BENCHMARKS}, got {row['benchmark']!r}")
        for key in ("model", "title", "source"):
            if not row[key]:
                raise DataFormatError(path, line, key, "must not be empty")
        key_tuple = (row["benchmark"], row["model"], row["source"])
        if key_tuple in seen:
            raise DataFormatError(path, line, "model", f"duplicate entry {key_tuple}")
        seen.add(key_tuple)
        year = parse_number(str(row["year"]), path=path, line=line, column="year", minimum=1990)
        if math.isnan(year) or year != int(year) or year > 2030:
            raise DataFormatError(path, line, "year", f"expected a year, got {row['year']!r}")
        row["year"] = int(year)
        for key in _NUMBERS:
            row[key] = parse_number(str(row[key]), path=path, line=line, column=key)
        for key in ("score", "score_top5"):
            if not math.isnan(row[key]) and not 0 < row[key] <= 100:
                raise DataFormatError(path, line, key, f"expected a score in (0, 100], got {row[key]}")
        if math.isnan(row["score"]):
            raise DataFormatError(path, line, "score", "must not be empty")
        if not math.isnan(row["score_top5"]) and row["benchmark"] != "imagenet":
            raise DataFormatError(path, line, "score_top5", "only ImageNet rows have a top-5 score")
        row.update(_derive(row, path, line))
        entries.append(row)
    return entries


def _derive(row: Dict[str, Any], path: str, line: int) -> Dict[str, Any]:
    hardware = row["hardware"]
    count, hours, device_hours = row["processor_count"], row["training_hours"], row["processor_hours"]
    burden = math.nan
    name = ""
    if hardware:
        try:
            proc = get_processor(hardware)
        except ValueError as error:
            raise DataFormatError(path, line, "hardware", str(error)) from None
        name = proc.name
        if not math.isnan(count) and not math.isnan(hours):
            if count != int(count) or count < 1:
                raise DataFormatError(path, line, "processor_count", f"expected a positive integer, got {count}")
            try:
                burden = hardware_burden(proc, int(count), hours * 3600.0)
            except (OverflowError, ValueError) as error:  # a time too large for float64 in seconds
                raise DataFormatError(path, line, "training_hours", str(error)) from None
        elif not math.isnan(device_hours):
            try:
                burden = hardware_burden(proc, 1, device_hours * 3600.0)
            except (OverflowError, ValueError) as error:  # a time too large for float64 in seconds
                raise DataFormatError(path, line, "processor_hours", str(error)) from None
    elif not (math.isnan(hours) and math.isnan(device_hours)) and not math.isnan(count):
        raise DataFormatError(path, line, "hardware", "processor count and time given without hardware")
    forward_flop = 2.0 * row["forward_macs"]
    network = forward_flop * row["training_examples"] * row["epochs"]
    derived = {
        "hardware": name,
        "training_seconds": hours * 3600.0,
        "forward_flop": forward_flop,
        "hardware_burden_flop": burden,
        "network_computation_flop": network,
        "training_flop": 3.0 * network,
    }
    sources = {"training_seconds": "training_hours", "forward_flop": "forward_macs"}
    for key, value in derived.items():
        if isinstance(value, float) and math.isinf(value):  # a figure too large for float64 once derived
            column = sources.get(key, "forward_macs, training_examples, epochs")
            raise DataFormatError(path, line, column, f"{key} overflows float64 (the figures are too large)")
    return derived


def _long_rows(entries: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    out = []
    for entry in entries:
        metrics = METRICS[entry["benchmark"]]
        scores = [entry["score"]] + ([entry["score_top5"]] if len(metrics) > 1 else [])
        for metric, value in zip(metrics, scores):
            if isinstance(value, float) and math.isnan(value):
                continue
            row = {k: entry.get(k) for k in OUTPUT_COLUMNS}
            row.update(metric=metric, value=value, error=error_from_value(metric, value))
            out.append(row)
    return out


_CACHE: Optional[List[Dict[str, Any]]] = None


def paper_entries() -> List[Dict[str, Any]]:
    """The parsed embedded entries (one per paper and model), cached; each call returns fresh copies.

    Returns
    -------
    list of dict
        ``parse_papers`` of the embedded papers.csv.

    Examples
    --------
    >>> from computelimits import datasets
    >>> entry = datasets.paper_entries()[0]
    >>> entry["benchmark"], entry["model"]
    ('imagenet', 'AlexNet (1 CNN)')
    """
    global _CACHE
    if _CACHE is None:
        _CACHE = parse_papers(_read_text())
    return [dict(e) for e in _CACHE]


def paper_results(benchmark: Optional[str] = None, metric: Optional[str] = "primary"):
    """The embedded dataset as a pandas DataFrame, one row per (paper, model, metric).

    ``metric="primary"`` (default) keeps each benchmark's primary metric
    (ImageNet top-1, box AP, F1, BLEU), so every entry appears once;
    ``metric="all"`` (or None) adds ImageNet top-5 rows; a metric name
    ("top1", "top5", "box_ap", "f1", "bleu") keeps that one.

    Columns: benchmark, metric, value (as reported: accuracy %, AP, F1 or
    BLEU), error (1 - value/100), model, year, title, source (arXiv id or
    venue), split, hardware (catalogue name), processor_count,
    training_seconds, processor_hours, epochs, training_examples,
    forward_macs, forward_flop, hardware_burden_flop,
    network_computation_flop, training_flop, secondary, notes. Missing
    figures are NaN / "".

    Parameters
    ----------
    benchmark : str, optional
        One of ``BENCHMARKS``; default all six.
    metric : str or None, default "primary"
        "primary", "all" (or None), or a metric name.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from computelimits import datasets
    >>> imagenet = datasets.paper_results("imagenet")
    >>> print(*imagenet.loc[0, ["model", "year", "value", "error"]], sep=" | ")
    AlexNet (1 CNN) | 2012 | 59.3 | 0.407
    """
    import pandas as pd

    if benchmark is not None and benchmark not in BENCHMARKS:
        raise ValueError(f"benchmark must be None or one of {BENCHMARKS}, got {benchmark!r}")
    known = sorted({m for ms in METRICS.values() for m in ms})
    if metric is not None and metric not in known + ["primary", "all"]:
        raise ValueError(f"metric must be 'primary', 'all', None or one of {known}, got {metric!r}")
    rows = _long_rows(paper_entries())
    frame = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
    if benchmark is not None:
        frame = frame[frame["benchmark"] == benchmark]
    if metric == "primary":
        frame = frame[frame["metric"] == frame["benchmark"].map(PRIMARY_METRIC)]
    elif metric not in (None, "all"):
        frame = frame[frame["metric"] == metric]
    return frame.reset_index(drop=True)
