"""Shared pieces of the simulate area: argument checks, summaries, result base class."""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Sequence
from typing import Any, Dict

import numpy as np

from .. import _validation, runner

#: The design covariance kinds (the C++ registry is ``_core.simulate.Covariance``; a test holds
#: the two lists equal).
COVARIANCES = ("isotropic", "equicorrelated", "ar1")
#: Two-sided normal quantile for a 95% interval (scipy.stats.norm.ppf(0.975)).
_Z = {0.9: 1.6448536269514722, 0.95: 1.959963984540054, 0.99: 2.5758293035489004}


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
        exact.append(int(item))
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


def concatenate_replicates(results: Sequence[Any], per_replicate: Sequence[str]) -> Any:
    """Join results over consecutive replicate ranges of one experiment.

    Every field other than ``first_replicate`` and the per-replicate arrays (first axis =
    replicate) must agree; ranges must follow each other ([a, b) then [b, c)). Replicate
    r depends only on (seed, r), so the join equals one run over the whole range.
    """
    if not results:
        raise ValueError("concatenate needs at least one result, got none")
    base = results[0]
    kind = type(base)
    expected = base.first_replicate
    shared = [f.name for f in dataclasses.fields(base) if f.name not in per_replicate and f.name != "first_replicate"]
    for index, result in enumerate(results):
        if type(result) is not kind:
            raise TypeError(f"results[{index}] must be a {kind.__name__}, got {type(result).__name__}")
        for name in shared:
            if not _same(getattr(result, name), getattr(base, name)):
                raise ValueError(f"results to concatenate must share {name}; results[{index}] differs from results[0]")
        if result.first_replicate != expected:
            raise ValueError(
                f"replicate ranges must be consecutive: expected results[{index}].first_replicate={expected}, "
                f"got {result.first_replicate}"
            )
        expected += result.reps
    return dataclasses.replace(
        base, **{name: np.concatenate([getattr(r, name) for r in results]) for name in per_replicate}
    )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=np.asarray(a).dtype.kind == "f")
    return bool(a == b)


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
    """Validated (reps, first_replicate, seed, threads, backend); ``threads`` stays None for
    "the runner's default" (all cores locally, one per task under an executor)."""
    _validation.check_backend(backend)
    reps = _validation.check_int("reps", reps, minimum=1, maximum=runner.MAX_REPLICATES)
    first_replicate = _validation.check_int("first_replicate", first_replicate, minimum=0, maximum=2**63)
    seed = _validation.resolve_seed(seed, rng)
    if threads is not None:
        threads = _validation.resolve_threads(threads)
    return reps, first_replicate, seed, threads, backend


def as_int_list(values: Sequence[int]) -> list:
    return [int(v) for v in values]
