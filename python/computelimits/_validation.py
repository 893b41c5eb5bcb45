"""Argument checks shared by every area.

Each check raises a ValueError/TypeError whose message names the argument, the
value received and what was expected, so bad input never reaches the C++ core.
"""

from __future__ import annotations

import functools
import math
import numbers
import os
from typing import Any, Optional

import numpy as np

BACKENDS = ("cpp", "numpy")
_UINT64_LIMIT = 2**64


def check_backend(backend: Any) -> str:
    """Return ``backend`` if it is "cpp" or "numpy", else raise ValueError."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    return backend


def check_int(name: str, value: Any, *, minimum: Optional[int] = None, maximum: Optional[int] = None) -> int:
    """Return ``value`` as a Python int, checking type and bounds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_real(
    name: str,
    value: Any,
    *,
    minimum: Optional[float] = None,
    maximum: Optional[float] = None,
    strict_minimum: bool = False,
    allow_inf: bool = False,
) -> float:
    """Return ``value`` as a finite float (inf only if allowed), checking bounds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    try:
        value = float(value)
    except OverflowError:  # an int beyond float64, e.g. 10**400
        magnitude = math.log10(abs(int(value)))
        raise OverflowError(f"{name} is beyond float64's range (about 1.8e308), got 10^{magnitude:.1f}") from None
    if math.isnan(value) or (math.isinf(value) and not allow_inf):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None:
        if strict_minimum and not value > minimum:
            raise ValueError(f"{name} must be > {minimum}, got {value}")
        if not strict_minimum and value < minimum:
            raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


@functools.lru_cache(maxsize=1)
def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the OS reports one), read once."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def resolve_threads(threads: Any) -> int:
    """Number of worker threads: ``None`` means every available core, else an int >= 1."""
    if threads is None:
        return available_cores()
    return check_int("threads", threads, minimum=1, maximum=4096)


def resolve_seed(seed: Any = None, rng: Any = None) -> int:
    """A 64-bit seed from ``seed`` (int >= 0) or ``rng`` (numpy Generator).

    With neither, fresh entropy is drawn from the operating system. Every
    replicate r then draws from stream (seed, r), see ``computelimits._random``.
    """
    if seed is not None and rng is not None:
        raise ValueError("pass either seed or rng, not both")
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        return int(rng.integers(0, 2**63, dtype=np.int64))
    if seed is None:
        return int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0])
    return check_int("seed", seed, minimum=0, maximum=_UINT64_LIMIT - 1)


def check_count(name: str, value: Any, *, minimum: int = 0) -> int:
    """An exact count: an int, or a float holding a whole number (``300e9``), returned as int.

    Fractional, non-finite and too-large-to-be-exact floats (>= 2^53) raise, so a
    count written in scientific notation never silently loses digits.
    """
    if isinstance(value, (float, np.floating)) and not isinstance(value, bool):
        if not math.isfinite(value) or not float(value).is_integer():
            raise ValueError(f"{name} must be a whole number, got {value!r}")
        if abs(value) >= 2.0**53:
            raise ValueError(f"{name}={value!r} is too large to be exact as a float; pass an int")
        value = int(value)
    return check_int(name, value, minimum=minimum)


def real_array(name: str, values: Any) -> np.ndarray:
    """``values`` as a float64 array; text (even numeric strings such as ``'1'``), complex,
    date and other non-real entries raise TypeError naming ``name``; ints beyond float64
    raise OverflowError. Booleans count as 0/1."""
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of real numbers, got {values!r:.80}") from error
    kind = array.dtype.kind
    if kind == "O":
        for item in array.flat:
            text = isinstance(item, (str, bytes))
            if text or not isinstance(item, (numbers.Real, np.bool_)):
                hint = "; convert text explicitly, e.g. with float()" if text else ""
                raise TypeError(f"{name} must hold real numbers, got {item!r:.40} ({type(item).__name__}){hint}")
    elif kind not in "biuf":
        example = array.flat[0] if array.size else array.dtype
        hint = "; convert text explicitly, e.g. with float()" if kind in "USa" else ""
        raise TypeError(f"{name} must hold real numbers, got {array.dtype} data (e.g. {example!r:.40}){hint}")
    try:
        return array.astype(np.float64)
    except OverflowError as error:
        raise OverflowError(f"{name} holds a number too large for float64 (|value| > 1.8e308)") from error
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of real numbers, got {values!r:.80}") from error
