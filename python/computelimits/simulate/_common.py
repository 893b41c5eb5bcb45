"""Shared pieces of the simulate area: argument checks, summaries, result base class."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any, Dict, Optional

import numpy as np

from .. import _validation
from .._progress import Progress

COVARIANCES = ("isotropic", "equicorrelated", "ar1")
#: Two-sided normal quantile for a 95% interval (scipy.stats.norm.ppf(0.975)).
_Z = {0.9: 1.6448536269514722, 0.95: 1.959963984540054, 0.99: 2.5758293035489004}


def covariance_code(covariance: Any, rho: Any) -> tuple:
    """(code, rho) for the C++ core; validates the name and the correlation."""
    if covariance not in COVARIANCES:
        raise ValueError(f"covariance must be one of {COVARIANCES}, got {covariance!r}")
    rho = _validation.check_real("rho", rho)
    if covariance == "equicorrelated" and not 0.0 <= rho < 1.0:
        raise ValueError(f"rho must be in [0, 1) for equicorrelated covariance, got {rho}")
    if covariance == "ar1" and not -1.0 < rho < 1.0:
        raise ValueError(f"rho must be in (-1, 1) for AR(1) covariance, got {rho}")
    return COVARIANCES.index(covariance), rho


def check_sizes(name: str, values: Any, *, minimum: int, increasing: bool = True) -> np.ndarray:
    """A 1-D int64 array of sizes >= minimum, strictly increasing when asked."""
    array = np.asarray(values)
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of integers, got {values!r}")
    if not np.issubdtype(array.dtype, np.integer):
        if (
            not np.issubdtype(array.dtype, np.floating)
            or not np.all(np.isfinite(array))
            or np.any(array != np.round(array))
        ):
            raise TypeError(f"{name} must hold integers, got {values!r}")
    array = array.astype(np.int64)
    if array.min() < minimum:
        raise ValueError(f"{name} must all be >= {minimum}, got {array.min()}")
    if increasing and np.any(np.diff(array) <= 0):
        raise ValueError(f"{name} must be strictly increasing, got {array.tolist()}")
    return array


def check_finite_array(name: str, values: Any, *, ndim: int) -> np.ndarray:
    """A float64 C-contiguous array of the given rank with only finite entries."""
    array = np.ascontiguousarray(values, dtype=np.float64)
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values")
    return array


def z_value(confidence: float) -> float:
    """Two-sided normal quantile for the confidence level (0.9, 0.95 or 0.99 exactly, else erfinv)."""
    confidence = _validation.check_real("confidence", confidence, minimum=0.0, maximum=1.0)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    if confidence in _Z:
        return _Z[confidence]
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def mean_se(samples: np.ndarray, axis: int = 0) -> tuple:
    """Mean and standard error (ddof=1) along an axis; SE is NaN for one replicate."""
    count = samples.shape[axis]
    mean = samples.mean(axis=axis)
    if count < 2:
        return mean, np.full_like(mean, np.nan)
    return mean, samples.std(axis=axis, ddof=1) / math.sqrt(count)


def run_chunks(
    kernel, reps: int, first_replicate: int, threads: int, progress: Optional[bool], description: str
) -> list:
    """Calls kernel(first, count) on consecutive replicate blocks, advancing a progress bar.

    Every replicate's result depends only on (seed, replicate), so the blocking never
    changes the numbers.
    """
    pieces = []
    with Progress(reps, description, enabled=progress) as bar:
        # About 20 blocks while a bar is drawn; otherwise one block, so the threads split
        # all replicates once instead of meeting at a barrier after every small block.
        chunk = max(threads, -(-reps // 20)) if bar.enabled else max(reps, 1)
        chunk = -(-chunk // threads) * threads
        done = 0
        while done < reps:
            count = min(chunk, reps - done)
            pieces.append(kernel(first_replicate + done, count))
            done += count
            bar.advance(count)
    return pieces


def frame_from(columns: Dict[str, Any]):
    import pandas as pd

    return pd.DataFrame(columns)


@dataclasses.dataclass(frozen=True, repr=False)
class ResultBase:
    """Frozen result with a short repr and ``to_dict()``."""

    def to_dict(self) -> Dict[str, Any]:
        out = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            out[field.name] = value.tolist() if isinstance(value, np.ndarray) else value
        return out

    def __repr__(self) -> str:
        parts = []
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, np.ndarray):
                parts.append(
                    f"{field.name}=<array {value.shape}>"
                    if value.size > 6
                    else f"{field.name}={np.array2string(value, precision=4, separator=', ')}"
                )
            elif isinstance(value, dict):
                parts.append(f"{field.name}={{{len(value)} keys}}")
            else:
                parts.append(f"{field.name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


def replicate_args(reps: Any, first_replicate: Any, seed: Any, rng: Any, threads: Any, backend: Any) -> tuple:
    """Validated (reps, first_replicate, seed, threads, backend)."""
    _validation.check_backend(backend)
    reps = _validation.check_int("reps", reps, minimum=1)
    first_replicate = _validation.check_int("first_replicate", first_replicate, minimum=0, maximum=2**63)
    seed = _validation.resolve_seed(seed, rng)
    threads = _validation.resolve_threads(threads)
    return reps, first_replicate, seed, threads, backend


def as_int_list(values: Sequence[int]) -> list:
    return [int(v) for v in values]
