"""Readers for published compute tables: Epoch AI, Computer Progress, any CSV.

Every reader returns a pandas DataFrame with the standard column names of
``_schema.STANDARD_COLUMNS`` (plus source-specific extras) and raises
``DataFormatError`` naming the file, the line and the column on malformed input.
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Mapping
from typing import Any, Dict, Optional, Union

from .._validation import check_real
from ..hardware import find_processor, hardware_burden
from ._csv_records import _records, _require, _scaled, parse_date
from ._schema import (
    NUMERIC_COLUMNS,
    PRIMARY_METRIC,
    STANDARD_COLUMNS,
    DataFormatError,
    parse_number,
)

_MEMORY = re.compile(r"\b\d+\s*gb\b", re.IGNORECASE)
_FORM = re.compile(r"\b(dgxs?|nvl|hgx)\b", re.IGNORECASE)


def match_processor(text: str) -> str:
    """Catalogue name for a free-text hardware label (e.g. Epoch AI's
    "NVIDIA Tesla V100 DGXS 32 GB"), or "" when it is not a single known part.

    Parameters
    ----------
    text : str
        The label as written.

    Returns
    -------
    str
        A ``hardware.get_processor`` name, or "" (several parts, or an unknown one).

    Examples
    --------
    >>> from computelimits import datasets
    >>> datasets.match_processor("NVIDIA Tesla V100 DGXS 32 GB")
    'V100-SXM2-32GB'
    >>> datasets.match_processor("NVIDIA V100, Google TPU v3")
    ''
    """
    if text is not None and not isinstance(text, str):
        raise TypeError(f"text must be a hardware label (str), got {text!r:.40} ({type(text).__name__})")
    return _match_processor(text or "")


@functools.lru_cache(maxsize=1024)
def _match_processor(text: str) -> str:
    label = text.strip()
    if not label or "," in label:
        return ""
    for candidate in (label, _FORM.sub("", label), _MEMORY.sub("", label), _FORM.sub("", _MEMORY.sub("", label))):
        found = find_processor(candidate)
        if found is not None:
            return found.name
    return ""


_EPOCH_NUMBERS = {
    "Parameters": "parameters",
    "Training compute (FLOP)": "training_compute_flop",
    "Training dataset size (datapoints)": "training_examples",
    "Training time (hours)": "training_hours",
    "Hardware quantity": "processor_count",
    "Epochs": "epochs",
}
_EPOCH_TEXT = {
    "Model": "model",
    "Domain": "domain",
    "Task": "task",
    "Organization": "organization",
    "Training hardware": "hardware_label",
    "Confidence": "confidence",
    "Link": "link",
}


def load_epoch(path: Union[str, os.PathLike]):
    """Read Epoch AI's model table ("All ML Systems"/"Notable AI Models" CSV).

    Columns: model, publication_date (Timestamp), year, domain, task,
    organization, parameters, training_compute_flop, training_examples
    (Epoch's "datapoints"), training_hours, training_seconds, processor_count,
    epochs, hardware_label (as written), hardware (catalogue name when the
    label is one known processor, else ""), hardware_burden_flop (count x peak
    x seconds when all three are known), confidence, link, source="epoch".
    Blank cells become NaN/NaT/"". Numbers may use scientific notation.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV (columns "Model" and "Publication date" at least).

    Returns
    -------
    pandas.DataFrame
        One row per model.

    Examples
    --------
    >>> import os, tempfile
    >>> from computelimits import datasets
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "models.csv")
    ...     with open(path, "w") as handle:
    ...         print("Model,Publication date,Training hardware,Hardware quantity,Training time (hours)", file=handle)
    ...         print("Example net,2021-03,NVIDIA V100,8,10", file=handle)
    ...     table = datasets.load_epoch(path)
    >>> print(*table.loc[0, ["hardware", "training_seconds", "hardware_burden_flop"]])  # 8 x 15.7 TFLOP/s x 36,000 s
    V100-SXM2-16GB 36000.0 4.5216e+18
    """
    import pandas as pd

    name = os.fspath(path)
    header, rows = _records(name)
    _require(name, header, ("Model", "Publication date"))
    out = []
    for line, record in rows:
        row: Dict[str, Any] = {std: record.get(col, "").strip() for col, std in _EPOCH_TEXT.items()}
        if not row["model"]:
            raise DataFormatError(name, line, "Model", "must not be empty")
        date = parse_date(record["Publication date"], path=name, line=line, column="Publication date")
        row["publication_date"] = date
        row["year"] = float(date.year) if not pd.isna(date) else math.nan
        for column, std in _EPOCH_NUMBERS.items():
            row[std] = parse_number(record.get(column, ""), path=name, line=line, column=column)
        row["training_seconds"] = _scaled(
            row["training_hours"], 3600.0, path=name, line=line, column="Training time (hours)"
        )
        row["hardware"] = match_processor(str(row["hardware_label"]))
        burden = math.nan
        count, seconds = row["processor_count"], row["training_seconds"]
        known = row["hardware"] and not math.isnan(seconds) and not math.isnan(count)
        if known and count >= 1 and count == int(count):
            try:
                burden = hardware_burden(str(row["hardware"]), int(count), seconds)
            except OverflowError as error:
                raise DataFormatError(name, line, "Hardware quantity", str(error)) from None
        row["hardware_burden_flop"] = burden
        row["source"] = "epoch"
        out.append(row)
    columns = [
        "model",
        "publication_date",
        "year",
        "domain",
        "task",
        "organization",
        "parameters",
        "training_compute_flop",
        "training_examples",
        "training_hours",
        "training_seconds",
        "processor_count",
        "epochs",
        "hardware_label",
        "hardware",
        "hardware_burden_flop",
        "confidence",
        "link",
        "source",
    ]
    return pd.DataFrame(out, columns=columns)


def _clean_label(text: str) -> str:
    """Collapse the literal '\\n'/'\\t' escapes and runs of whitespace in model names."""
    text = text.replace("\\n", " ").replace("\\t", " ")
    return re.sub(r"\s+", " ", text).strip()


def load_computerprogress(path: Union[str, os.PathLike]):
    """Read the Computer Progress data of Thompson et al. (2020).

    Input columns: benchmark, year, model, hardware_burden_gflop, accuracy
    (``index`` optional). Output: benchmark, metric (the benchmark's primary
    metric), model (whitespace normalised), year, hardware_burden_flop
    (GFLOP x 1e9), accuracy, value (accuracy x 100), error (1 - accuracy),
    index, source="computerprogress".

    Parameters
    ----------
    path : str or os.PathLike
        The CSV.

    Returns
    -------
    pandas.DataFrame
        One row per model.

    Examples
    --------
    >>> import os, tempfile
    >>> from computelimits import datasets
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "progress.csv")
    ...     with open(path, "w") as handle:
    ...         print("benchmark,year,model,hardware_burden_gflop,accuracy", file=handle)
    ...         print("imagenet,2012,AlexNet,1.2e7,0.633", file=handle)
    ...     table = datasets.load_computerprogress(path)
    >>> print(*table.loc[0, ["metric", "hardware_burden_flop", "value", "error"]])
    top1 1.2e+16 63.3 0.367
    """
    import pandas as pd

    name = os.fspath(path)
    header, rows = _records(name)
    _require(name, header, ("benchmark", "year", "model", "hardware_burden_gflop", "accuracy"))
    out = []
    for line, record in rows:
        benchmark = record["benchmark"].strip()
        if not benchmark:
            raise DataFormatError(name, line, "benchmark", "must not be empty")
        year = parse_number(record["year"], path=name, line=line, column="year", minimum=1950)
        if math.isnan(year) or year != int(year):
            raise DataFormatError(name, line, "year", f"expected a year, got {record['year']!r}")
        gflop = parse_number(record["hardware_burden_gflop"], path=name, line=line, column="hardware_burden_gflop")
        accuracy = parse_number(record["accuracy"], path=name, line=line, column="accuracy")
        if not math.isnan(accuracy) and accuracy > 1:
            raise DataFormatError(name, line, "accuracy", f"expected a fraction in [0, 1], got {accuracy}")
        index = parse_number(record.get("index", ""), path=name, line=line, column="index")
        out.append(
            {
                "benchmark": benchmark,
                "metric": PRIMARY_METRIC.get(benchmark, ""),
                "model": _clean_label(record["model"]),
                "year": int(year),
                "hardware_burden_flop": _scaled(gflop, 1e9, path=name, line=line, column="hardware_burden_gflop"),
                "accuracy": accuracy,
                "value": accuracy * 100.0,
                "error": 1.0 - accuracy,
                "index": index,
                "source": "computerprogress",
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "benchmark",
            "metric",
            "model",
            "year",
            "hardware_burden_flop",
            "accuracy",
            "value",
            "error",
            "index",
            "source",
        ],
    )


def load_csv(
    path_or_frame,
    columns: Optional[Mapping[str, str]] = None,
    *,
    scale: Optional[Mapping[str, float]] = None,
    benchmark: Optional[str] = None,
):
    """Map any CSV file or DataFrame onto the standard column names.

    ``columns`` maps source column -> standard name (see ``STANDARD_COLUMNS``);
    source columns already bearing a standard name are kept. Standard numeric
    columns are parsed (blank -> NaN) and multiplied by ``scale[name]`` when
    given (e.g. ``{"hardware_burden_flop": 1e9}`` for GFLOP input).
    ``benchmark`` fills that column when the source has none. When ``error``
    is absent it is derived: 1 - accuracy, else 1 - value/100.

    Parameters
    ----------
    path_or_frame : str, os.PathLike or pandas.DataFrame
        The table.
    columns : mapping of str to str, optional
        Source column -> standard name.
    scale : mapping of str to float, optional
        Standard name -> factor applied after parsing.
    benchmark : str, optional
        The benchmark of every row, when the table has no such column.

    Returns
    -------
    pandas.DataFrame
        The standard columns present, plus ``error`` when it can be derived.

    Examples
    --------
    >>> import pandas as pd
    >>> from computelimits import datasets
    >>> table = pd.DataFrame({"name": ["a", "b"], "gflop": [1.5, 3.0], "top1": [76.0, 80.0]})
    >>> out = datasets.load_csv(
    ...     table,
    ...     {"name": "model", "gflop": "hardware_burden_flop", "top1": "value"},
    ...     scale={"hardware_burden_flop": 1e9},
    ...     benchmark="imagenet",
    ... )
    >>> out["hardware_burden_flop"].tolist(), out["error"].round(3).tolist()
    ([1500000000.0, 3000000000.0], [0.24, 0.2])
    """
    import pandas as pd

    for argument, given in (("columns", columns), ("scale", scale)):
        if given is not None and not isinstance(given, Mapping):
            raise TypeError(f"{argument} must be a mapping (dict), got {given!r:.40} ({type(given).__name__})")
    columns = dict(columns or {})
    scale = dict(scale or {})
    for target in list(columns.values()) + list(scale):
        if target not in STANDARD_COLUMNS:
            raise ValueError(f"columns/scale target must be one of {STANDARD_COLUMNS}, got {target!r}")
    for target, factor in scale.items():
        scale[target] = check_real(f"scale[{target!r}]", factor, minimum=0.0, strict_minimum=True)
    if isinstance(path_or_frame, pd.DataFrame):
        name = "<DataFrame>"
        frame = path_or_frame.astype(object).where(path_or_frame.notna(), "")
        header = [str(c) for c in frame.columns]
        records = [(i + 2, {str(k): str(v) for k, v in rec.items()}) for i, rec in enumerate(frame.to_dict("records"))]
    elif isinstance(path_or_frame, (str, os.PathLike)):
        name = os.fspath(path_or_frame)
        header, rows = _records(name)
        records = rows
    else:
        raise TypeError(f"path_or_frame must be a path or a pandas DataFrame, got {type(path_or_frame).__name__}")
    _require(name, header, tuple(columns))
    rename = {col: columns.get(col, col) for col in header}
    targets = list(rename.values())
    duplicated = {t for t in targets if targets.count(t) > 1}
    if duplicated:
        raise ValueError(f"columns maps several source columns onto {sorted(duplicated)}")
    out = []
    for line, record in records:
        row: Dict[str, Any] = {}
        for col in header:
            std = rename[col]
            cell = record.get(col, "")
            if std in NUMERIC_COLUMNS:
                value = parse_number(
                    cell, path=name, line=line, column=col, minimum=-math.inf if std == "value" else 0.0
                )
                row[std] = _scaled(value, scale.get(std, 1.0), path=name, line=line, column=col)
            else:
                row[std] = cell.strip() if isinstance(cell, str) else cell
        out.append(row)
    frame = pd.DataFrame(out, columns=targets)
    if benchmark is not None and not isinstance(benchmark, str):
        raise TypeError(f"benchmark must be a benchmark name (str), got {benchmark!r:.40} ({type(benchmark).__name__})")
    if benchmark is not None and "benchmark" not in frame:
        frame["benchmark"] = benchmark
    if "error" not in frame:
        if "accuracy" in frame:
            frame["error"] = 1.0 - frame["accuracy"]
        elif "value" in frame:
            frame["error"] = 1.0 - frame["value"] / 100.0
    return frame
