"""How result objects show themselves: a text block in a console, an HTML table in Jupyter.

Every result class inherits ``ResultDisplay``. It builds one ``Display`` (a title, facts as
label/value pairs, an optional table and notes) from ``_display()`` and renders it as:

- ``summary()``: a ``Summary``, the text as a ``str`` whose repr is the text itself (so a
  REPL prints lines, not ``\\n`` escapes), with ``as_text()``, ``as_html()`` and
  ``_repr_html_()`` as statsmodels' ``Summary`` has them;
- ``str(result)``: the same text block; ``repr(result)`` stays each class's short one-liner;
- ``result._repr_html_()``: the block as HTML tables, which Jupyter shows.

The default ``_display()`` lists the scalar dataclass fields as facts and shows
``to_frame()`` (when the class has one) as the table, its first and last rows when it is
long; classes with a better layout override it.
"""

from __future__ import annotations

import dataclasses
import enum
import html
import math
import numbers
from typing import Any, Iterable, NamedTuple, Optional, Sequence, Tuple

import numpy as np


class Display(NamedTuple):
    """What a result shows: ``facts`` are (label, value) pairs, ``header``/``rows`` a table."""

    title: str
    facts: Tuple[Tuple[str, Any], ...] = ()
    header: Tuple[str, ...] = ()
    rows: Tuple[Tuple[Any, ...], ...] = ()
    notes: Tuple[str, ...] = ()


def cell(value: Any) -> str:
    """One value as text: integers from 100,000 up with thousands separators, 6 significant digits for floats, ``nan``/``inf`` spelt out, enums by value,
    short arrays inline and long ones by shape, nested results by their repr (or count), ``None`` as an
    empty cell."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        whole = int(value)
        return f"{whole:,}" if abs(whole) >= 100_000 else str(whole)
    if isinstance(value, numbers.Real):
        value = float(value)
        return f"{value:.6g}" if math.isfinite(value) else str(value)
    if isinstance(value, np.ndarray):
        if value.size > 6 or value.ndim > 1:
            return f"array of shape {value.shape}"
        return "[" + ", ".join(cell(v) for v in value.tolist()) + "]"
    if isinstance(value, ResultDisplay):
        return repr(value)
    if isinstance(value, (list, tuple)) and any(isinstance(item, ResultDisplay) for item in value):
        names = sorted({type(item).__name__ for item in value})
        return f"{len(value)} x {'/'.join(names)}"
    if isinstance(value, dict):
        return (
            ", ".join(f"{key}={cell(item)}" for key, item in value.items()) if len(value) <= 6 else f"{len(value)} keys"
        )
    if isinstance(value, (list, tuple)) and len(value) <= 6 and not hasattr(value, "_fields"):
        return "(" + ", ".join(cell(v) for v in value) + ")"
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return f"{len(value)} items"
    return str(value)


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def as_text(display: Display) -> str:
    """The block as fixed-width text: title, aligned facts, a table with right-aligned numbers, notes."""
    lines = [display.title, "=" * len(display.title)]
    if display.facts:
        width = max(len(label) for label, _ in display.facts)
        lines += [f"{label:<{width}}  {cell(value)}" for label, value in display.facts]
    if display.header:
        table = [list(display.header)] + [[cell(value) for value in row] for row in display.rows]
        widths = [max(len(row[k]) for row in table) for k in range(len(display.header))]
        numeric = [all(_is_number(row[k]) or row[k] in ("", "...") for row in table[1:]) for k in range(len(widths))]
        rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
        lines.append(rule)
        for index, row in enumerate(table):
            text = "  ".join(
                value.rjust(width) if numeric[k] else value.ljust(width)
                for k, (value, width) in enumerate(zip(row, widths))
            )
            lines.append(text.rstrip())
            if index == 0:
                lines.append(rule)
        lines.append(rule)
    lines += list(display.notes)
    return "\n".join(lines)


def as_html(display: Display) -> str:
    """The block as HTML: a caption, a two-column table of facts, the table, the notes."""
    escape = html.escape
    parts = ['<div class="computelimits-result">', f"<strong>{escape(display.title)}</strong>"]
    if display.facts:
        parts.append("<table>")
        parts += [
            f"<tr><th style='text-align:left'>{escape(label)}</th><td>{escape(cell(value))}</td></tr>"
            for label, value in display.facts
        ]
        parts.append("</table>")
    if display.header:
        parts.append("<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in display.header) + "</tr></thead>")
        parts.append("<tbody>")
        parts += ["<tr>" + "".join(f"<td>{escape(cell(v))}</td>" for v in row) + "</tr>" for row in display.rows]
        parts.append("</tbody></table>")
    parts += [f"<p>{escape(note)}</p>" for note in display.notes]
    parts.append("</div>")
    return "\n".join(parts)


class Summary(str):
    """A result's summary: a ``str`` whose repr is the text itself, so a console prints its lines.

    Like statsmodels' ``Summary`` it offers ``as_text()``, ``as_html()`` and ``_repr_html_()``
    (Jupyter shows the HTML tables); every ``str`` operation works on the text.
    """

    _html: Optional[str]

    def __new__(cls, text: str, html_text: Optional[str] = None) -> Summary:
        self = super().__new__(cls, text)
        self._html = html_text
        return self

    @classmethod
    def of(cls, display: Display) -> Summary:
        return cls(as_text(display), as_html(display))

    def as_text(self) -> str:
        """The summary as plain text."""
        return str.__str__(self)

    def as_html(self) -> str:
        """The summary as HTML (the text in a ``<pre>`` block when it was built from text alone)."""
        return self._html if self._html is not None else f"<pre>{html.escape(self.as_text())}</pre>"

    def _repr_html_(self) -> str:
        return self.as_html()

    def __str__(self) -> str:
        return self.as_text()

    def __repr__(self) -> str:
        return self.as_text()


#: Tables longer than this show their first ``_HEAD`` and last ``_TAIL`` rows.
MAX_ROWS = 30
_HEAD, _TAIL = 15, 10


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, numbers.Number, np.bool_, enum.Enum))


def field_facts(result: Any, skip: Iterable[str] = (), scalars_only: bool = False) -> Tuple[Tuple[str, Any], ...]:
    """(name, value) for each dataclass field of ``result`` not in ``skip`` (only scalar ones, and
    not None, when asked); arrays and nested results show as their shape or type."""
    skip = set(skip)
    facts = []
    for field in dataclasses.fields(result):
        value = getattr(result, field.name)
        if (
            field.name in skip
            or field.name.startswith("_")
            or (scalars_only and (value is None or not _is_scalar(value)))
        ):
            continue
        if isinstance(value, ResultDisplay):
            value = type(value).__name__
        facts.append((field.name, value))
    return tuple(facts)


def frame_table(frame: Any) -> Tuple[Tuple[str, ...], Tuple[Tuple[Any, ...], ...], Tuple[str, ...]]:
    """(header, rows, notes) of a pandas DataFrame; its index becomes the first column unless it
    is the default 0..n-1, and long frames keep their first and last rows."""
    import pandas as pd

    named_index = not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None
    header = ((str(frame.index.name or ""),) if named_index else ()) + tuple(str(c) for c in frame.columns)
    records = list(frame.itertuples(index=named_index, name=None))
    notes: Tuple[str, ...] = ()
    if len(records) > MAX_ROWS:
        skipped = len(records) - _HEAD - _TAIL
        records = records[:_HEAD] + [("...",) * len(header)] + records[-_TAIL:]
        notes = (f"{skipped} of {len(frame)} rows not shown; to_frame() holds them all",)
    return header, tuple(records), notes


def table_rows(columns: Sequence[Sequence[Any]]) -> Tuple[Tuple[Any, ...], ...]:
    """Rows from equal-length columns."""
    return tuple(zip(*[list(np.atleast_1d(np.asarray(column, dtype=object))) for column in columns]))


class ResultDisplay:
    """Mixin of every result class: ``summary()``, a text ``__str__`` and ``_repr_html_``.

    Subclasses override ``_display()``; the default lists the scalar dataclass fields and
    shows ``to_frame()`` as the table (a one-row frame as facts instead)."""

    __slots__ = ()

    def _display(self) -> Display:
        to_frame = getattr(self, "to_frame", None)
        frame = to_frame() if callable(to_frame) else None
        if frame is None or len(frame) == 0:
            facts = field_facts(self) if dataclasses.is_dataclass(self) else ()
            return Display(type(self).__name__, facts)
        if len(frame) == 1:
            return Display(type(self).__name__, tuple((str(k), v) for k, v in frame.iloc[0].items()))
        facts = field_facts(self, scalars_only=True) if dataclasses.is_dataclass(self) else ()
        header, rows, notes = frame_table(frame)
        return Display(type(self).__name__, facts, header, rows, notes)

    def summary(self) -> Summary:
        """The result as a text block (a ``Summary``: prints as lines, renders as HTML in Jupyter)."""
        return Summary.of(self._display())

    def __str__(self) -> str:
        return self.summary().as_text()

    def _repr_html_(self) -> str:
        return self.summary().as_html()
