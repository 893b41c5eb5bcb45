"""A report as data: sections of paragraphs, tables and figures, rendered to Markdown and HTML.

Building the report once as a tree and rendering it twice keeps report.md and
report.html in step without a Markdown-to-HTML dependency.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import List, Optional, Union


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""


@dataclass(frozen=True)
class Figure:
    path: str  # relative to the report's folder
    caption: str


Block = Union[Paragraph, Table, Figure]


@dataclass
class Section:
    title: str
    blocks: List[Block] = field(default_factory=list)

    def paragraph(self, text: str) -> None:
        self.blocks.append(Paragraph(text))

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[object]], caption: str = "") -> None:
        self.blocks.append(Table(list(columns), [[str(cell) for cell in row] for row in rows], caption))

    def figure(self, path: str, caption: str) -> None:
        self.blocks.append(Figure(path, caption))


@dataclass
class Document:
    title: str
    preamble: List[str] = field(default_factory=list)
    sections: List[Section] = field(default_factory=list)

    def section(self, title: str) -> Section:
        section = Section(title)
        self.sections.append(section)
        return section

    def to_markdown(self) -> str:
        lines = [f"# {self.title}", ""]
        for text in self.preamble:
            lines += [text, ""]
        for number, section in enumerate(self.sections, start=1):
            lines += [f"## {number}. {section.title}", ""]
            for block in section.blocks:
                lines += _markdown_block(block) + [""]
        return "\n".join(lines).rstrip() + "\n"

    def to_html(self) -> str:
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{html.escape(self.title)}</title>",
            f"<style>{_STYLE}</style></head><body>",
            f"<h1>{html.escape(self.title)}</h1>",
        ]
        parts += [f"<p>{html.escape(text)}</p>" for text in self.preamble]
        for number, section in enumerate(self.sections, start=1):
            parts.append(f"<h2>{number}. {html.escape(section.title)}</h2>")
            parts += [_html_block(block) for block in section.blocks]
        parts.append("</body></html>")
        return "\n".join(parts) + "\n"


def _markdown_escape(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")


def _markdown_block(block: Block) -> List[str]:
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, Figure):
        return [f"![{block.caption}]({block.path})", "", f"*{block.caption}*"]
    lines = []
    if block.caption:
        lines += [f"**{block.caption}**", ""]
    lines.append("| " + " | ".join(_markdown_escape(c) for c in block.columns) + " |")
    lines.append("|" + "|".join("---" for _ in block.columns) + "|")
    lines += ["| " + " | ".join(_markdown_escape(c) for c in row) + " |" for row in block.rows]
    return lines


def _html_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{html.escape(block.text)}</p>"
    if isinstance(block, Figure):
        return (
            f'<figure><img src="{html.escape(block.path)}" alt="{html.escape(block.caption)}">'
            f"<figcaption>{html.escape(block.caption)}</figcaption></figure>"
        )
    head = "".join(f"<th>{html.escape(c)}</th>" for c in block.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in block.rows)
    caption = f"<caption>{html.escape(block.caption)}</caption>" if block.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}"
    "th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}"
    "th{background:#f3f3f3}caption{font-weight:bold;text-align:left;padding:.25rem 0}"
    "figure{margin:1rem 0}img{max-width:100%}figcaption{font-style:italic;color:#555}"
)


def format_flop(value: float) -> str:
    """Engineering notation for FLOP counts: 3.14e+23."""
    return f"{float(value):.3g}" if abs(float(value)) < 1e4 else f"{float(value):.3e}"


def format_duration(seconds: float) -> str:
    """Seconds as the largest sensible unit: 5.5 days, 355 years."""
    seconds = float(seconds)
    for unit, size in (("years", 365.25 * 86400), ("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            return f"{seconds / size:.3g} {unit}"
    return f"{seconds:.3g} s"


def format_usd(value: float) -> str:
    value = float(value)
    return f"${value:,.0f}" if value < 1e9 else f"${value:.3g}"


SINGULAR_BOOTSTRAP = "undetermined: a bootstrap resample was singular"


def format_interval(low: Optional[float], high: Optional[float], spec: str = ".4g") -> str:
    """'[low, high]', or words when an end is missing or not a finite number (a degenerate bootstrap)."""
    import math

    if low is None or high is None or not (math.isfinite(float(low)) and math.isfinite(float(high))):
        return SINGULAR_BOOTSTRAP
    return f"[{format(float(low), spec)}, {format(float(high), spec)}]"
