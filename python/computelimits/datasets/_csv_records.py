"""CSV records and their cells: reading a file into records, required columns, unit scaling, dates.

The readers of ``_loaders`` share these; every malformed input raises ``DataFormatError``
naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import datetime as _dt
import math
import os
from typing import Dict, List, Tuple, Union

from ._schema import DataFormatError


def _records(path: Union[str, os.PathLike]) -> Tuple[List[str], List[Tuple[int, Dict[str, str]]]]:
    """Header and (first line number, record) pairs of a CSV file; records may span lines."""
    name = os.fspath(path)
    out: List[Tuple[int, Dict[str, str]]] = []
    with open(name, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise DataFormatError(name, 1, "header", "the file is empty") from None
        except csv.Error as error:
            raise DataFormatError(name, 1, "header", str(error)) from None
        except UnicodeDecodeError as error:
            raise DataFormatError(
                name, 1, "(encoding)", f"not UTF-8 text: {error.reason} at byte {error.start}"
            ) from None
        if not any(header):
            raise DataFormatError(name, 1, "header", "the header line names no column")
        start = reader.line_num + 1
        try:
            for fields in reader:
                if any(f.strip() for f in fields):
                    if len(fields) != len(header):
                        column = header[-1] if len(fields) > len(header) else header[len(fields)]
                        raise DataFormatError(name, start, column, f"expected {len(header)} fields, got {len(fields)}")
                    out.append((start, dict(zip(header, fields))))
                start = reader.line_num + 1
        except csv.Error as error:
            raise DataFormatError(name, reader.line_num, "(csv)", str(error)) from None
        except UnicodeDecodeError as error:
            raise DataFormatError(
                name, start, "(encoding)", f"not UTF-8 text: {error.reason} at byte {error.start}"
            ) from None
    return header, out


def _scaled(value: float, factor: float, *, path: str, line: int, column: str) -> float:
    """value x factor (a unit conversion), or a DataFormatError when that overflows float64."""
    out = value * factor
    if math.isinf(out):
        raise DataFormatError(path, line, column, f"{value:g} x {factor:g} (its unit conversion) overflows float64")
    return out


def _require(name: str, header: List[str], needed: Tuple[str, ...]) -> None:
    missing = [c for c in needed if c not in header]
    if missing:
        raise DataFormatError(name, 1, missing[0], f"required column is missing (header: {header})")


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m", "%Y", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S")


def parse_date(text: str, *, path: str, line: int, column: str):
    """Publication dates as Epoch AI writes them (ISO day, month or year) -> Timestamp/NaT.

    Parameters
    ----------
    text : str
        The cell; blank gives NaT.
    path, line, column : str, int, str
        Where the cell is, for the DataFormatError a malformed date raises.

    Returns
    -------
    pandas.Timestamp or pandas.NaT

    Examples
    --------
    >>> from computelimits import datasets
    >>> datasets.parse_date("2020-05", path="models.csv", line=2, column="Publication date")
    Timestamp('2020-05-01 00:00:00')
    """
    import pandas as pd

    cell = text.strip()
    if not cell:
        return pd.NaT
    for fmt in _DATE_FORMATS:
        try:
            return pd.Timestamp(_dt.datetime.strptime(cell, fmt))
        except ValueError:
            continue
    raise DataFormatError(path, line, column, f"expected a date like 2020-05-28, got {text!r}")
