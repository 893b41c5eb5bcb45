"""The report's compute-trend section: eras, Chow tests, the estimated break, and the OpenAI-versus-Epoch
contrast (``trend_section`` with an Epoch AI table, ``contrast_without_data`` without one).

Published figures set side by side with the same quantity computed on an Epoch AI table:

- Amodei and Hernandez (2018, OpenAI, "AI and Compute"): the compute of the largest
  training runs doubled every 3.4 months from 2012 to 2018;
- Sevilla et al. (2022, Epoch AI, "Compute Trends Across Three Eras of Machine
  Learning"): since the start of the deep-learning era (2010) training compute
  doubled about every 6 months.

OpenAI's figure comes from the record-setting runs, so the table gives 2012-2018
twice: over all systems and over the record setters (systems whose compute exceeds
every earlier system's in that window).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional

import numpy as np

from .. import fit
from ..status import Status, describe
from .document import format_interval
from .empirical import compute_trend

OPENAI_MONTHS = 3.4
OPENAI_WINDOW = (2012.0, 2018.0)
EPOCH_MONTHS = 6.0
EPOCH_START = 2010.0


@dataclass(frozen=True)
class ContrastRow:
    """One line of the contrast: a published doubling time and, when data are given, ours."""

    label: str
    source: str
    published_months: float
    window: str
    systems: Optional[int] = None
    status: Optional[str] = None
    months: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None

    def to_dict(self) -> Dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)

    def computed_text(self) -> str:
        if self.status is None:
            return "needs --epoch-csv"
        if Status(self.status) is not Status.OK:
            return describe(Status(self.status))
        return f"{self.months:.2f} {format_interval(self.low, self.high, '.2f')}"


def record_setters(years: np.ndarray, compute: np.ndarray) -> np.ndarray:
    """Mask of systems whose compute exceeds every earlier (by date) system's."""
    order = np.lexsort((-compute, years))
    mask = np.zeros(len(years), dtype=bool)
    best = -np.inf
    for index in order:
        if compute[index] > best:
            mask[index] = True
            best = compute[index]
    return mask


def _era_row(label, source, published, window_text, years, compute, mask, settings) -> ContrastRow:
    n_resamples, seed, threads = settings
    if mask.sum() < 3 or np.ptp(years[mask]) == 0:
        return ContrastRow(label, source, published, window_text, int(mask.sum()), Status.TOO_FEW_POINTS.value)
    trend = fit.doubling_time(
        years[mask], compute[mask], n_resamples=n_resamples, seed=seed, threads=threads, progress=False
    )
    era = trend.eras[0]
    ok = era.status is Status.OK
    return ContrastRow(
        label,
        source,
        published,
        window_text,
        era.points,
        era.status.value,
        era.doubling_months if ok else None,
        era.low if ok else None,
        era.high if ok else None,
    )


def contrast(years: Optional[np.ndarray], compute: Optional[np.ndarray], *, n_resamples: int, seed: int, threads):
    """The published doubling times, each with ours on the same window when data are given."""
    openai = ("OpenAI, largest runs", "Amodei and Hernandez (2018), 'AI and Compute'", OPENAI_MONTHS)
    epoch = ("Epoch AI, deep-learning era", "Sevilla et al. (2022), 'Compute Trends Across Three Eras'", EPOCH_MONTHS)
    window = f"{OPENAI_WINDOW[0]:.0f}-{OPENAI_WINDOW[1]:.0f}"
    if years is None or compute is None:
        return [
            ContrastRow(*openai[:2], openai[2], window),
            ContrastRow(*epoch[:2], epoch[2], f"{EPOCH_START:.0f} onward"),
        ]
    settings = (n_resamples, seed, threads)
    inside = (years >= OPENAI_WINDOW[0]) & (years < OPENAI_WINDOW[1])
    records = np.zeros(len(years), dtype=bool)
    records[inside] = record_setters(years[inside], compute[inside])
    return [
        _era_row(openai[0] + " (record setters)", openai[1], openai[2], window, years, compute, records, settings),
        _era_row("same window, all systems", openai[1], openai[2], window, years, compute, inside, settings),
        _era_row(
            epoch[0], epoch[1], epoch[2], f"{EPOCH_START:.0f} onward", years, compute, years >= EPOCH_START, settings
        ),
    ]


def era_label(start: float, end: float) -> str:
    """ "before 2010", "2010 onward", "2010.4 to 2015" (no infinite bounds in words)."""
    if np.isinf(start) and np.isinf(end):
        return "all dates"
    if np.isinf(start):
        return f"before {end:g}"
    if np.isinf(end):
        return f"{start:g} onward"
    return f"{start:g} to {end:g}"


def _trend_text(era) -> list:
    label = era_label(era.start, era.end)
    if era.status is not Status.OK:
        return [label, era.points, describe(era.status), "-", "-"]
    return [
        label,
        era.points,
        f"{era.doubling_months:.2f}",
        format_interval(era.low, era.high, ".2f"),
        era.analytic.describe(lambda v: f"{v:.2f}"),
    ]


def _contrast_block(section, rows) -> None:
    section.table(
        ["figure", "source", "window", "published (months)", "systems", "computed here (months, 95% CI)"],
        [
            [
                r.label,
                r.source,
                r.window,
                f"{r.published_months:g}",
                "-" if r.systems is None else r.systems,
                r.computed_text(),
            ]
            for r in rows
        ],
        caption="Doubling time of training compute: OpenAI against Epoch AI",
    )


def trend_section(doc, results, epoch_csv, figures, settings, seed, threads, executor=None) -> None:
    data = compute_trend(
        epoch_csv,
        figures,
        n_resamples=settings.bootstrap_resamples,
        seed=seed,
        threads=threads,
        progress=False,
        executor=executor,
    )
    trend, estimated = data.trend, data.estimated
    rows = contrast(data.years, data.compute, n_resamples=settings.bootstrap_resamples, seed=seed, threads=threads)
    results["trend"] = {
        "systems": data.count,
        **trend.to_dict(),
        "estimated_break": estimated.to_dict(),
        "contrast": [row.to_dict() for row in rows],
    }
    section = doc.section("The compute trend")
    section.paragraph(
        f"{data.count} systems with a publication date and training compute from {Path(epoch_csv).name} (data: Epoch AI, "
        "CC-BY). log2(compute) regressed on the date, split at 2010: doubling time 12/b months with a 95% BCa "
        "pairs-bootstrap interval and the analytic interval (b's t interval mapped through 12/b)."
    )
    columns = ["era", "systems", "doubling time (months)", "95% bootstrap CI", "95% analytic CI"]
    section.table(columns, [_trend_text(e) for e in trend.eras])
    for test in trend.chow:
        section.paragraph(
            f"Chow test of one line against two at {test.break_year:g}: F({test.df_num}, {test.df_den}) = "
            f"{test.f_statistic:.4g}, p = {test.p_value:.3g}."
        )
    b = estimated.break_estimate
    if b is not None:  # always set: compute_trend asks for estimate_break=True
        section.paragraph(
            f"Break estimated by least squares over {b.candidates} candidate dates (each era at least "
            f"{b.min_era_points} systems): {b.year:.2f}, 95% percentile bootstrap interval "
            f"{format_interval(b.low, b.high, '.2f')} ({b.n_resamples} resamples, the break re-estimated on each)."
        )
    section.table(columns, [_trend_text(e) for e in estimated.eras])
    _contrast_block(section, rows)
    section.figure(f"figures/{data.figure}", "Training compute against publication date")


def contrast_without_data(doc, results) -> None:
    rows = contrast(None, None, n_resamples=1, seed=0, threads=1)
    results["trend_contrast"] = [row.to_dict() for row in rows]
    section = doc.section("The compute trend")
    section.paragraph(
        "Published doubling times of training compute; pass --epoch-csv (Epoch AI's all_ml_systems.csv) to "
        "compute both on the same data."
    )
    _contrast_block(section, rows)
