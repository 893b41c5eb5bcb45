"""report.html: a page that works offline, with a table of contents, inline figures and sortable tables.

- Each section is a ``<section id="...">`` listed in the table of contents (``<nav class="toc">``)
  with the figures and tables it holds.
- Figures are ``<img>`` elements whose ``src`` is the PNG's path relative to the page.
- Every table has the class ``sortable``: a click on a column header sorts its rows (again:
  reverse) with a small inline script, no external file. Cells that read as numbers carry a
  ``data-sort`` key (:func:`sort_key`: "$1.3M" is 1.3e6, "4.2 days" is 362,880 seconds, "10^28.1" is
  1.26e28, "[0.3, 0.5]" sorts by its low end), so they sort by value, numbers before words.
"""

from __future__ import annotations

import html
import math
import re
from typing import List, Optional

# Multipliers of the suffixes and units a cell's number may carry (durations in seconds).
_SUFFIX = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}
_UNITS = {
    "": 1.0,
    "%": 0.01,
    "x": 1.0,
    "ns": 1e-9,
    "us": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "seconds": 1.0,
    "min": 60.0,
    "minutes": 60.0,
    "hour": 3600.0,
    "hours": 3600.0,
    "day": 86400.0,
    "days": 86400.0,
    "month": 2629800.0,
    "months": 2629800.0,
    "year": 31557600.0,
    "years": 31557600.0,
    "flop": 1.0,
    "wh": 1.0,
    "kwh": 1e3,
    "mwh": 1e6,
    "gwh": 1e9,
    "twh": 1e12,
    "g co2": 1.0,
    "kg co2": 1e3,
    "t co2": 1e6,
    "kt co2": 1e9,
    "mt co2": 1e12,
    "gt co2": 1e15,
}
_NUMBER = r"[-+]?(?:\d[\d,_]*\.?\d*|\.\d+)(?:e[-+]?\d+)?"
_PLAIN = re.compile(
    rf"^(?P<dollar>\$)?(?P<number>{_NUMBER})(?P<suffix>[kKMBGTPE])?\s*(?P<unit>[a-z%][a-z0-9 ]*)?$", re.I
)
_POWER = re.compile(rf"^10\^(?P<exponent>{_NUMBER})$")
_INTERVAL = re.compile(r"^\[(?P<low>[^,\[\]]+),[^,\[\]]+\]$")
_WITH_INTERVAL = re.compile(r"^(?P<estimate>[^\[\]]+?)\s+\[[^,\[\]]+,[^,\[\]]+\]$")


def _float_text(value: float) -> Optional[str]:
    return repr(float(value)) if math.isfinite(value) else None


def sort_key(cell: str) -> Optional[str]:
    """The number a table cell stands for, as text for ``data-sort``; None when it is words.

    Reads "1,234", "-0.07", "4.783e+17", "$1,495", "$1.3M", "95%", "6,342x", durations ("5.5 days",
    "20 min"), energy and CO2 ("12.5 MWh", "5.1 t CO2"), "10^28.10" (written as mantissa and
    exponent, so it never overflows), an interval "[a, b]" (its low end) and an estimate with its
    interval, "3.42 [2.69, 3.89]" (the estimate).
    """
    text = cell.strip()
    power = _POWER.match(text)
    if power:
        exponent = float(power.group("exponent").replace(",", ""))
        whole = math.floor(exponent)
        return f"{10.0 ** (exponent - whole):.6f}e{whole}"
    interval = _INTERVAL.match(text)
    if interval:
        return sort_key(interval.group("low"))
    estimate = _WITH_INTERVAL.match(text)
    if estimate:  # "3.42 [2.69, 3.89]": the estimate
        return sort_key(estimate.group("estimate"))
    plain = _PLAIN.match(text)
    if not plain:
        return None
    unit = (plain.group("unit") or "").strip().lower()
    if unit not in _UNITS:
        return None
    try:
        value = float(plain.group("number").replace(",", "").replace("_", ""))
    except ValueError:
        return None
    value *= _SUFFIX.get(plain.group("suffix") or "", 1.0) * _UNITS[unit]
    return _float_text(value)


def slug(text: str) -> str:
    """An id made of the lower-case words of ``text``: "What it costs (2010)" -> "what-it-costs-2010"."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())) or "section"


def _table(block, table_id: str) -> str:
    head = "".join(f'<th scope="col" title="sort by this column">{html.escape(c)}</th>' for c in block.columns)
    body = []
    for row in block.rows:
        cells = []
        for cell in row:
            key = sort_key(cell)
            attributes = f' class="num" data-sort="{key}"' if key is not None else ""
            cells.append(f"<td{attributes}>{html.escape(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption = f"<caption>{html.escape(block.caption)}</caption>" if block.caption else ""
    return (
        f'<div class="table-wrap"><table class="sortable" id="{table_id}">{caption}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _figure(block, figure_id: str, number: int) -> str:
    return (
        f'<figure id="{figure_id}"><a href="{html.escape(block.path)}">'
        f'<img src="{html.escape(block.path)}" alt="{html.escape(block.caption)}" loading="lazy"></a>'
        f"<figcaption>Figure {number}. {html.escape(block.caption)}</figcaption></figure>"
    )


def render(document) -> str:
    """The whole page of ``document`` (a ``report.document.Document``) as HTML text."""
    from .document import Figure, Paragraph, Table

    body: List[str] = []
    toc: List[str] = []
    figure_count = table_count = 0
    for number, section in enumerate(document.sections, start=1):
        section_id = f"section-{number}-{slug(section.title)}"
        entries = []
        parts = [f'<section id="{section_id}"><h2>{number}. {html.escape(section.title)}</h2>']
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(f"<p>{html.escape(block.text)}</p>")
            elif isinstance(block, Figure):
                figure_count += 1
                figure_id = f"figure-{figure_count}"
                parts.append(_figure(block, figure_id, figure_count))
                entries.append(
                    f'<li><a href="#{figure_id}">Figure {figure_count}. {html.escape(block.caption)}</a></li>'
                )
            elif isinstance(block, Table):
                table_count += 1
                table_id = f"table-{table_count}"
                parts.append(_table(block, table_id))
                if block.caption:
                    entries.append(f'<li><a href="#{table_id}">Table: {html.escape(block.caption)}</a></li>')
        parts.append("</section>")
        body.append("\n".join(parts))
        sub = f'<ol class="toc-items">{"".join(entries)}</ol>' if entries else ""
        toc.append(f'<li><a href="#{section_id}">{html.escape(section.title)}</a>{sub}</li>')
    preamble = "".join(f"<p>{html.escape(text)}</p>" for text in document.preamble)
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en"><head><meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{html.escape(document.title)}</title>",
                f"<style>{STYLE}</style></head><body>",
                f"<header><h1>{html.escape(document.title)}</h1>{preamble}</header>",
                f'<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>{"".join(toc)}</ol></nav>',
                "<main>",
                *body,
                "</main>",
                f"<script>{SORT_SCRIPT}</script>",
                "</body></html>",
            ]
        )
        + "\n"
    )


STYLE = (
    ":root{--ink:#1f2328;--muted:#59636e;--rule:#d1d9e0;--band:#f6f8fa;--accent:#0969da}"
    "body{font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);"
    "max-width:66rem;margin:0 auto;padding:1.5rem 1.25rem 4rem}"
    "h1{font-size:1.9rem;line-height:1.2;margin:.5rem 0 1rem}"
    "h2{font-size:1.4rem;margin:2.5rem 0 .75rem;padding-bottom:.3rem;border-bottom:1px solid var(--rule)}"
    "header p{color:var(--muted)}a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}"
    "nav.toc{background:var(--band);border:1px solid var(--rule);border-radius:6px;padding:.5rem 1.25rem 1rem}"
    "nav.toc h2{font-size:1.1rem;border:0;margin:.5rem 0}nav.toc ol{margin:0;padding-left:1.4rem}"
    "nav.toc>ol>li{margin:.3rem 0;font-weight:600}.toc-items{font-weight:400;font-size:.9rem}"
    ".table-wrap{overflow-x:auto;margin:1rem 0}"
    "table{border-collapse:collapse;font-size:.85rem;font-variant-numeric:tabular-nums}"
    "caption{font-weight:600;text-align:left;padding:.25rem 0 .5rem}"
    "th,td{border:1px solid var(--rule);padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "td.num{text-align:right;white-space:nowrap}tbody tr:nth-child(even){background:var(--band)}"
    "th{background:#eef1f4;position:sticky;top:0;cursor:pointer;user-select:none;vertical-align:bottom}"
    "th::after{content:' \\2195';color:#9aa4ae;font-size:.8em}"
    "th[aria-sort=ascending]::after{content:' \\25B2';color:var(--ink)}"
    "th[aria-sort=descending]::after{content:' \\25BC';color:var(--ink)}"
    "figure{margin:1.5rem 0}figure img{max-width:100%;height:auto;border:1px solid var(--rule)}"
    "figcaption{color:var(--muted);font-size:.9rem;margin-top:.4rem}"
    "@media print{nav.toc{display:none}th{position:static}}"
)

# Click a header to sort by its column: cells with data-sort by number, the others after them
# by text; a second click reverses. Written without the words the report must never contain.
SORT_SCRIPT = """
(function () {
  function key(cell) {
    var sortKey = cell.getAttribute('data-sort');
    return sortKey === null ? null : Number(sortKey);
  }
  function compare(a, b) {
    if (a.k !== null && b.k !== null) { return a.k - b.k; }
    if (a.k !== null) { return -1; }
    if (b.k !== null) { return 1; }
    return a.t.localeCompare(b.t);
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var headers = table.querySelectorAll('thead th');
    headers.forEach(function (header, column) {
      header.setAttribute('tabindex', '0');
      function sort() {
        var ascending = header.getAttribute('aria-sort') !== 'ascending';
        headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
        header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
          var cell = row.cells[column];
          return {row: row, index: index, k: cell ? key(cell) : null, t: cell ? cell.textContent : ''};
        });
        rows.sort(function (a, b) {
          var order = compare(a, b);
          return (ascending ? order : -order) || a.index - b.index;
        });
        rows.forEach(function (item) { body.appendChild(item.row); });
      }
      header.addEventListener('click', sort);
      header.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); sort(); }
      });
    });
  });
})();
"""
