"""Fixed-width text tables for the terminal."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import List, Optional

_NUMBER = re.compile(r"^[-+$]?[\d.,]+(e[-+]?\d+)?[%x]?( \[.*\])?$")


def number(value: Optional[float], spec: str = ".3g", missing: str = "-") -> str:
    """``format(value, spec)``, or ``missing`` for None and NaN (a quantity with no value here)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    return format(value, spec)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> List[str]:
    """Lines of a table: columns as wide as their widest cell, numbers right-aligned, words left."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        parts = [cell.rjust(w) if _NUMBER.match(cell) else cell.ljust(w) for cell, w in zip(row, widths)]
        return (indent + "  ".join(parts)).rstrip()

    rule = indent + "  ".join("-" * w for w in widths)
    return [line(cells[0]), rule] + [line(row) for row in cells[1:]]
