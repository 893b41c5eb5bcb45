"""Scaling-law bootstraps computed apart, joined: ``ScalingLawResult.concatenate`` and
``ScalingLawResult.from_distribution``.

Resample r of a scaling-law bootstrap depends only on the points, the point estimate
(every refit starts there) and its stream (seed, r), so ranges of resamples computed
in separate calls (``scaling_law(..., first_resample=...)``) or anywhere else
(``scaling_law.resample_fits``) join into the records of one run. Its intervals are
percentile intervals evaluated from the joined records, so a joined result is
bit-identical to one run over the whole range.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Optional

import numpy as np

from .. import _validation
from . import _scaling_law_twin as twin

# The fields that describe the point fit: results join only when all of them agree.
POINT_FIELDS = (
    "a",
    "b",
    "e",
    "alpha",
    "beta",
    "objective",
    "converged",
    "form",
    "delta",
    "n_points",
    "n_excluded",
    "excluded_indices",
    "n_starts",
    "best_start",
    "start_status_counts",
    "flop_per_token_param",
    "backend",
)


def check_records(records: Any) -> np.ndarray:
    """A float64 copy of (B, 9) resample records (``scaling_law.resample_fits``'s layout):
    B >= 1, statuses that index ``STATUSES``, whole non-negative iteration and evaluation counts."""
    values = np.array(records, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] != twin.RECORD or values.shape[0] < 1:
        raise ValueError(
            f"resample_records must be a (B, {twin.RECORD}) array of records with B >= 1, got shape {values.shape}"
        )
    for column, name, limit in (
        (6, "status", len(twin.STATUSES) - 1),
        (7, "iterations", None),
        (8, "evaluations", None),
    ):
        codes = values[:, column]
        bad = ~(np.isfinite(codes) & (codes == np.floor(codes)) & (codes >= 0) & (codes <= (limit or np.inf)))
        if np.any(bad):
            row = int(np.flatnonzero(bad)[0])
            raise ValueError(f"resample_records[{row}, {column}] ({name}) is not a valid {name}: {float(codes[row])!r}")
    return values


def from_distribution(
    cls: Any,
    fit: Any,
    resample_records: Any,
    *,
    seed: int,
    first_resample: int = 0,
    confidence_level: Optional[float] = None,
):
    """``fit`` (a ``cls``, the ScalingLawResult class, with or without a bootstrap) with its bootstrap replaced by
    ``resample_records``: the records of resamples first_resample .. first_resample + B - 1 on
    streams (seed, r), refitted from ``fit``'s estimate (``scaling_law.resample_fits``)."""
    if not isinstance(fit, cls):
        raise TypeError(f"fit must be a {cls.__name__}, got {type(fit).__name__}")
    records = check_records(resample_records)
    seed = _validation.check_int("seed", seed, minimum=0, maximum=2**64 - 1)
    first = _validation.check_int("first_resample", first_resample, minimum=0, maximum=2**63)
    level = fit.confidence_level if confidence_level is None else confidence_level
    level = _validation.check_real("confidence_level", level, minimum=0.0, strict_minimum=True)
    if level >= 1.0:
        raise ValueError(f"confidence_level must be < 1, got {level}")
    return dataclasses.replace(
        fit,
        n_resamples=len(records),
        seed=seed,
        confidence_level=level,
        resample_status_counts=twin.status_counts(records),
        resample_records=records,
        first_resample=first,
    )


def concatenate(cls: Any, *results: Any):
    """Join ``cls`` results (ScalingLawResult): bootstraps of one fit over consecutive resample ranges (same point fit, seed and
    level): the records in order, bit-identical to one run over the whole range."""
    if not results:
        raise ValueError("concatenate needs at least one result, got none")
    for index, result in enumerate(results):
        if not isinstance(result, cls):
            raise TypeError(f"results[{index}] must be a {cls.__name__}, got {type(result).__name__}")
        if result.resample_records is None:
            raise ValueError(f"results[{index}] has no bootstrap (n_resamples=0): there is nothing to join")
    base = results[0]
    expected = base.first_resample
    for index, result in enumerate(results):
        for name in (*POINT_FIELDS, "seed", "confidence_level"):
            if getattr(result, name) != getattr(base, name):
                raise ValueError(
                    f"results to concatenate must share {name}; results[{index}].{name}={getattr(result, name)!r}, "
                    f"results[0].{name}={getattr(base, name)!r}"
                )
        if result.first_resample != expected:
            raise ValueError(
                f"resample ranges must be consecutive: expected results[{index}].first_resample={expected}, "
                f"got {result.first_resample}"
            )
        expected += result.n_resamples
    records = np.concatenate([result.resample_records for result in results], axis=0)
    return dataclasses.replace(
        base,
        n_resamples=len(records),
        resample_status_counts=twin.status_counts(records),
        resample_records=records,
    )
