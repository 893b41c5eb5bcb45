"""Shared pieces of the simulate area: argument checks and the replicate arguments (result bases: ``_results``)."""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Iterable
from typing import Any, Dict, List

import numpy as np

from .. import _validation, runner
from ..exceptions import OneReplicateWarning

#: The design covariance kinds (the C++ registry is ``_core.simulate.Covariance``; a test holds
#: the two lists equal).
COVARIANCES = ("isotropic", "equicorrelated", "ar1")


def covariance_code(covariance: Any, rho: Any) -> tuple:
    """(``_core.simulate.Covariance`` member, rho) for the C++ core; validates the name and the correlation."""
    if covariance not in COVARIANCES:
        raise ValueError(f"covariance must be one of {COVARIANCES}, got {covariance!r}")
    rho = _validation.check_real("rho", rho)
    if covariance == "equicorrelated" and not 0.0 <= rho < 1.0:
        raise ValueError(f"rho must be in [0, 1) for equicorrelated covariance, got {rho}")
    if covariance == "ar1" and not -1.0 < rho < 1.0:
        raise ValueError(f"rho must be in (-1, 1) for AR(1) covariance, got {rho}")
    from .. import _core

    return getattr(_core.simulate.Covariance, covariance), rho


def check_sizes(name: str, values: Any, *, minimum: int, increasing: bool = True, maximum: int = 2**62) -> np.ndarray:
    """A 1-D int64 array of sizes in [minimum, maximum], strictly increasing when asked.

    Entries may be ints or integral floats (``1e3``); each is checked as an exact Python int
    before the int64 array is made, so ``1e19`` or ``2**70`` raise naming ``name`` instead of
    wrapping around."""
    array = np.asarray(values, dtype=object)
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of integers, got {values!r:.80}")
    exact = []
    for item in array:
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Real):
            raise TypeError(f"{name} must hold integers, got {item!r:.40} ({type(item).__name__})")
        if not isinstance(item, numbers.Integral) and not (math.isfinite(item) and float(item).is_integer()):
            raise TypeError(f"{name} must hold integers, got {item!r}")
        exact.append(int(item) if isinstance(item, numbers.Integral) else int(float(item)))
    if min(exact) < minimum:
        raise ValueError(f"{name} must all be >= {minimum}, got {min(exact)}")
    if max(exact) > maximum:
        raise ValueError(f"{name} must all be <= {maximum}, got {max(exact)}")
    out = np.array(exact, dtype=np.int64)
    if increasing and np.any(np.diff(out) <= 0):
        raise ValueError(f"{name} must be strictly increasing, got {out.tolist()}")
    return out


#: Noise and signal scales above this could overflow the squared errors (sigma^2 times the
#: risk factors, up to ~n); the experiments depend on sigma^2 / signal only.
MAX_SCALE = 1e100


def check_scale(name: str, value: float) -> float:
    """``value`` (already a finite real) must be <= MAX_SCALE; the message says why and what to do."""
    if value > MAX_SCALE:
        raise ValueError(
            f"{name} must be <= {MAX_SCALE:g}, got {value:g}: squared errors this large can overflow float64 "
            "(results depend only on sigma^2 / signal, so rescale both)"
        )
    return value


def check_finite_result(values: np.ndarray, what: str, **arguments: Any) -> None:
    """Raise OverflowError naming the arguments when a simulated quantity overflowed float64."""
    if not np.all(np.isfinite(values)):
        named = ", ".join(f"{key}={value!r}" for key, value in arguments.items())
        raise OverflowError(
            f"{what} overflowed float64 for {named}; results depend only on sigma^2 / signal, so rescale both"
        )


def check_finite_array(name: str, values: Any, *, ndim: int) -> np.ndarray:
    """A float64 C-contiguous array of the given rank with only finite entries (text, even
    numeric strings, raises TypeError naming ``name``)."""
    array = np.ascontiguousarray(_validation.real_array(name, values))
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values")
    return array


def frame_from(columns: Dict[str, Any]):
    import pandas as pd

    return pd.DataFrame(columns)


def replicate_args(
    reps: Any, first_replicate: Any, seed: Any, rng: Any, threads: Any, backend: Any, minimum_reps: int = 1
) -> tuple:
    """Validated (reps, first_replicate, seed, threads, backend); ``threads`` stays None for
    "the runner's default" (all cores locally, one per task under an executor). One replicate
    is allowed (a piece to concatenate) with a ``OneReplicateWarning``: its SE and CIs are NaN."""
    _validation.check_backend(backend)
    reps = _validation.check_int("reps", reps, minimum=minimum_reps, maximum=runner.MAX_REPLICATES)
    if reps == 1:
        warnings.warn(
            OneReplicateWarning(
                "reps=1: standard errors and confidence intervals need two or more replicates, so they are "
                "NaN (concatenate this result with others, or run more replicates)"
            ),
            stacklevel=3,
        )
    first_replicate = _validation.check_int("first_replicate", first_replicate, minimum=0, maximum=2**63)
    seed = _validation.resolve_seed(seed, rng)
    if threads is not None:
        threads = _validation.resolve_threads(threads)
    return reps, first_replicate, seed, threads, backend


def as_int_list(values: Iterable[int]) -> List[int]:
    return [int(v) for v in values]
