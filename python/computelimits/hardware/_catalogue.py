"""The built-in processor catalogue, read from ``data/processors.csv``.

One row per processor. Columns: ``name, vendor, kind, release`` (``YYYY``,
``YYYY-MM`` or ``YYYY-MM-DD``), the peak rates ``fp32 tf32 fp16 bf16 fp8 fp4``
in TFLOP/s and ``int8`` in TOP/s (blank = not published), ``board_power_watts``,
``cloud_usd_per_hour`` (blank = not rented / no confirmed price),
``burden_precision``, ``default_precision`` (blank = derived), ``aliases``
(``;``-separated), ``source``, ``source_url``, ``price_source``, ``note``.

Conventions (see docs/hardware.md):

- ``fp32`` is the ordinary single-precision rate at the vendor's quoted clock
  (cores x 2 FLOP per FMA x clock where the datasheet gives no TFLOP/s).
- ``tf32``/``fp16``/``bf16``/``fp8``/``fp4``/``int8`` are DENSE rates (vendors'
  "with sparsity" figures halved); for pre-Volta parts ``fp16`` is the packed-half
  rate, for Volta and later it is the tensor-core rate with FP32 accumulate.
- TPU figures are per chip; their published peak is the bf16 matrix-unit rate.
- Prices are on-demand list prices per processor-hour. AWS prices are the
  instance price divided by its GPU count (host CPUs and memory included);
  Google Cloud GPU prices are the GPU-only add-on price; TPU prices are per
  chip-hour.
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from typing import Dict, Optional, Tuple

from ._processor import PRECISIONS, Processor

TERA = 1e12
CATALOGUE_FILE = "processors.csv"
COLUMNS: Tuple[str, ...] = (
    "name",
    "vendor",
    "kind",
    "release",
    *PRECISIONS,
    "board_power_watts",
    "cloud_usd_per_hour",
    "burden_precision",
    "default_precision",
    "aliases",
    "source",
    "source_url",
    "price_source",
    "note",
)


def _optional_float(row: Dict[str, str], column: str, line: int) -> Optional[float]:
    text = row[column].strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{CATALOGUE_FILE} line {line}: column {column!r} is not a number: {text!r}") from None


def processor_from_row(row: Dict[str, str], line: int = 0) -> Processor:
    """One catalogue row (strings, as ``csv.DictReader`` gives them) as a ``Processor``."""
    release = row["release"].strip()
    peaks = {}
    for precision in PRECISIONS:
        value = _optional_float(row, precision, line)
        if value is not None:
            peaks[precision] = value * TERA
    try:
        return Processor(
            name=row["name"].strip(),
            vendor=row["vendor"].strip(),
            kind=row["kind"].strip(),
            release_year=int(release[:4]),
            peak_flops=peaks,
            board_power_watts=_optional_float(row, "board_power_watts", line),
            cloud_usd_per_hour=_optional_float(row, "cloud_usd_per_hour", line),
            source=row["source"].strip(),
            price_source=row["price_source"].strip(),
            burden_precision=row["burden_precision"].strip() or "fp32",
            aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
            release_date=release if len(release) > 4 else None,
            source_url=row["source_url"].strip(),
            note=row["note"].strip(),
            default_precision=row["default_precision"].strip() or None,
        )
    except (ValueError, TypeError) as error:
        raise ValueError(f"{CATALOGUE_FILE} line {line} ({row.get('name')!r}): {error}") from None


def read_catalogue(text: str) -> Tuple[Processor, ...]:
    """Parse catalogue CSV text (the columns of ``COLUMNS``) into processors."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"{CATALOGUE_FILE} lacks columns {missing}")
    return tuple(processor_from_row(row, line) for line, row in enumerate(reader, start=2))


def _load_builtin() -> Tuple[Processor, ...]:
    text = resources.files(__package__).joinpath("data").joinpath(CATALOGUE_FILE).read_text(encoding="utf-8")
    return read_catalogue(text)


CATALOGUE: Tuple[Processor, ...] = _load_builtin()
