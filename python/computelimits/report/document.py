"""A report as data: sections of paragraphs, tables and figures, rendered to Markdown and HTML.

Building the report once as a tree and rendering it twice keeps report.md and
report.html in step without a Markdown-to-HTML dependency.
"""

from __future__ import annotations

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
        lines += ["## Contents", ""]
        for number, section in enumerate(self.sections, start=1):
            lines.append(f"{number}. [{section.title}](#{markdown_anchor(f'{number}. {section.title}')})")
        lines.append("")
        for number, section in enumerate(self.sections, start=1):
            lines += [f"## {number}. {section.title}", ""]
            for block in section.blocks:
                lines += _markdown_block(block) + [""]
        return "\n".join(lines).rstrip() + "\n"

    def to_html(self) -> str:
        """The page: table of contents, inline figures, sortable tables (``report.html.render``)."""
        from .html import render

        return render(self)


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


def markdown_anchor(heading: str) -> str:
    """The anchor GitHub and most Markdown renderers give a heading: lower case, punctuation
    other than '-' and '_' dropped, spaces as '-' ("1. What it costs" -> "1-what-it-costs")."""
    kept = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def format_flop(value: float) -> str:
    """FLOP counts with four significant digits: "980", then e-notation "3.180e+03", "3.143e+23" (so a
    column never mixes "3.18e+03" with "1.429e+09")."""
    return f"{float(value):.4g}" if abs(float(value)) < 1e3 else f"{float(value):.3e}"


SINGULAR_BOOTSTRAP = "undetermined: a bootstrap resample was singular"


def format_interval(low: Optional[float], high: Optional[float], spec: str = ".4g") -> str:
    """'[low, high]', or words when an end is missing or not a finite number (a degenerate bootstrap)."""
    import math

    if low is None or high is None or not (math.isfinite(float(low)) and math.isfinite(float(high))):
        return SINGULAR_BOOTSTRAP
    return f"[{format(float(low), spec)}, {format(float(high), spec)}]"
