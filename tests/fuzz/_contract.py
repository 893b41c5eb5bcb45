"""The public-API contract every fuzz test asserts, and the hostile inputs it is asserted on.

Contract (docs/architecture.md, "Errors"): a call either raises ValueError, TypeError or
OverflowError whose message names the offending argument, or returns a result whose numbers are
finite, or flagged: a NaN or inf is allowed only where the result carries a non-OK status or the
call emitted a named warning class (computelimits.exceptions, or scipy's DegenerateDataWarning,
which the bootstrap intervals share with scipy.stats.bootstrap).
"""

from __future__ import annotations

import dataclasses
import enum
import math
import numbers
import os
import re
import warnings
from typing import Any, Callable, List, Optional, Sequence, Tuple

import numpy as np
from hypothesis import event, settings
from hypothesis import strategies as st

from computelimits import exceptions
from computelimits.status import Status

ERRORS = (ValueError, TypeError, OverflowError)


def examples(fraction: float) -> settings:
    """Settings with ``fraction`` of the loaded profile's example budget (at least 2)."""
    return settings(max_examples=max(2, round(settings.default.max_examples * fraction)))


@dataclasses.dataclass
class Outcome:
    """What a call did: its result, or the documented error it raised, and the warnings it emitted."""

    result: Any
    error: Optional[BaseException]
    caught: List[warnings.WarningMessage]

    @property
    def flagged(self) -> bool:
        """True when a named warning (a computelimits or scipy warning class) was emitted."""
        for record in self.caught:
            category = record.category
            if issubclass(category, exceptions.ComputeLimitsWarning):
                return True
            if category.__module__.startswith("scipy") and category.__name__ == "DegenerateDataWarning":
                return True
        return False

    def warned(self, category: type) -> bool:
        return any(issubclass(record.category, category) for record in self.caught)


def _log(line: str) -> None:
    """With FUZZ_LOG=path set, append what each call did to that file (to tune the strategies)."""
    path = os.environ.get("FUZZ_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(line[:160].replace("\n", " ") + "\n")


def attempt(
    function: Callable[..., Any], names: Sequence[str], *args: Any, errors: tuple = ERRORS, **kwargs: Any
) -> Outcome:
    """Call ``function``; a ValueError/TypeError/OverflowError (or one of ``errors``) must name one of ``names``.

    Any other exception propagates (and fails the test): a crash, a KeyError or an IndexError
    is a contract violation.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = function(*args, **kwargs)
        except errors as error:
            message = str(error)
            _log(f"{getattr(function, '__name__', 'call')}: {type(error).__name__}: {message}")
            event(f"{getattr(function, '__name__', 'call')}: {type(error).__name__}")
            assert any(re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message) for name in names), (
                f"{type(error).__name__} names none of {list(names)}: {message!r}"
            )
            return Outcome(None, error, list(caught))
    event(f"{getattr(function, '__name__', 'call')}: returned")
    _log(f"{getattr(function, '__name__', 'call')}: returned")
    unnamed = [r for r in caught if r.category in (UserWarning, RuntimeWarning) and "computelimits" in r.filename]
    assert not unnamed, f"a bare warning instead of a named class: {[str(r.message) for r in unnamed]}"
    return Outcome(result, None, list(caught))


def non_finite(value: Any, path: str = "result", depth: int = 0) -> List[Tuple[str, float]]:
    """The NaN/inf numbers reachable in ``value`` (dataclass fields, ``to_dict()``, dicts, sequences,
    arrays, data frames), each with its path."""
    if depth > 8 or value is None or isinstance(value, (bool, np.bool_, enum.Enum, str, bytes, numbers.Integral)):
        return []  # exact integers cannot be NaN or inf
    if isinstance(value, numbers.Real):
        return [] if math.isfinite(value) else [(path, float(value))]
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc":
            flat = value.ravel()
            return [(f"{path}[{i}]", complex(flat[i]).real) for i in np.flatnonzero(~np.isfinite(flat))[:3]]
        if value.dtype.kind == "O":
            return [bad for i, v in enumerate(value.ravel()[:64]) for bad in non_finite(v, f"{path}[{i}]", depth + 1)]
        return []
    if hasattr(value, "select_dtypes"):  # a pandas DataFrame
        return non_finite(value.select_dtypes("number").to_numpy(dtype=float), f"{path}.frame", depth + 1)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            bad
            for field in dataclasses.fields(value)
            for bad in non_finite(getattr(value, field.name), f"{path}.{field.name}", depth + 1)
        ]
    if isinstance(value, dict):
        return [bad for k, v in value.items() for bad in non_finite(v, f"{path}[{k!r}]", depth + 1)]
    if isinstance(value, (list, tuple)):
        return [bad for i, v in enumerate(value) for bad in non_finite(v, f"{path}[{i}]", depth + 1)]
    if callable(getattr(value, "to_dict", None)) and not isinstance(value, type):
        return non_finite(value.to_dict(), f"{path}.to_dict()", depth + 1)
    return []


def statuses_in(value: Any, depth: int = 0) -> List[Status]:
    """Every Status reachable in ``value``."""
    if depth > 6:
        return []
    if isinstance(value, Status):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in statuses_in(getattr(value, f.name), depth + 1)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in statuses_in(v, depth + 1)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in statuses_in(v, depth + 1)]
    if isinstance(value, np.ndarray) and value.dtype.kind == "O":
        return [s for v in value.ravel()[:64] for s in statuses_in(v, depth + 1)]
    if (
        callable(getattr(value, "to_dict", None))
        and not isinstance(value, type)
        and not hasattr(value, "select_dtypes")
    ):
        return statuses_in(value.to_dict(), depth + 1)
    return []


def assert_finite_or_flagged(outcome: Outcome, what: Any = None) -> None:
    """The result (or ``what``, a part of it) is finite, or the call flagged it."""
    if outcome.error is not None:
        return
    value = outcome.result if what is None else what
    bad = non_finite(value)
    if not bad:
        return
    if outcome.flagged or any(status is not Status.OK for status in statuses_in(outcome.result)):
        return
    raise AssertionError(f"silent non-finite numbers (no status, no named warning): {bad[:5]}")


# ---------------------------------------------------------------------------------------------
# Inputs: mostly well-formed ones in random dtypes, layouts and magnitudes (so the result path is
# exercised), and about one argument in four hostile (non-finite, text, wrong shape or length).

NAN, INF = float("nan"), float("inf")
EXTREME_FLOATS = (0.0, -0.0, 1.0, -1.0, 2.0, 1e-300, 5e-324, 1e-170, 1e160, 1e300, 1.7e308, -1e300)
finite_float = st.one_of(st.floats(-1e6, 1e6), st.sampled_from(EXTREME_FLOATS))
any_float = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(EXTREME_FLOATS + (NAN, INF, -INF))
)
moderate_float = st.floats(-1e6, 1e6, allow_nan=False)
DTYPES = ("float64", "float32", "int64", "int32", "uint8", "bool", "object")
LAYOUTS = ("C", "F", "strided", "list")


def _cast(values: np.ndarray, dtype: str) -> np.ndarray:
    """``values`` (float64) in ``dtype``; integer and bool dtypes keep only what they can hold."""
    if dtype in ("float64", "float32"):
        with np.errstate(over="ignore"):
            return values.astype(dtype)
    if dtype == "object":
        out = np.empty(values.shape, dtype=object)
        for index, v in np.ndenumerate(values):
            out[index] = int(v) if math.isfinite(v) and v == int(v) and abs(v) < 1e30 else float(v)
        return out
    if dtype == "bool":
        return np.where(np.isnan(values), 0.0, values) != 0
    info = np.iinfo(dtype)
    clean = np.trunc(np.where(np.isfinite(values), values, 0.0))
    # float(info.max) rounds up past int64's range: clip to the largest double below it
    return np.clip(clean, float(info.min), np.nextafter(float(info.max), 0.0)).astype(dtype)


def _layout(values: np.ndarray, layout: str) -> Any:
    if layout == "list":
        return values.tolist()
    if layout == "F":
        return np.asfortranarray(values)
    if layout == "strided" and values.ndim:  # a non-contiguous view holding the same numbers
        return np.repeat(values, 2, axis=-1)[..., ::2]
    return np.ascontiguousarray(values)


INTEGER_DTYPES = ("int64", "int32", "uint8", "bool")
small_ints = st.integers(-1000, 1000)


@st.composite
def arrays(draw, shape, elements=finite_float, integers=small_ints, dtypes=DTYPES) -> Any:
    """An array of ``shape`` (a tuple or a strategy of tuples) in a random dtype and memory layout.

    Float dtypes take ``elements``; integer and bool dtypes ``integers`` (None: no integer dtypes),
    so a well-formed array keeps its meaning in every dtype."""
    if not isinstance(shape, tuple):
        shape = draw(shape)
    size = int(np.prod(shape)) if shape else 1
    allowed = [d for d in dtypes if integers is not None or d not in INTEGER_DTYPES]
    dtype = draw(st.sampled_from(allowed))
    source = integers if dtype in INTEGER_DTYPES else elements
    values = np.array(draw(st.lists(source, min_size=size, max_size=size)), dtype=float).reshape(shape)
    return _layout(_cast(values, dtype), draw(st.sampled_from(LAYOUTS)))


def hostile_arrays(shape: tuple):
    """Arrays of about ``shape`` that break the contract: NaN/inf entries, text, a wrong length or rank."""
    n = shape[0] if shape else 1
    return st.one_of(
        arrays(shape, any_float),
        arrays(shape, st.sampled_from([NAN, INF, -INF]), None, ("float64", "float32", "object")),
        arrays((n + 1,) + shape[1:]),
        arrays((n, 2) if len(shape) == 1 else (n,)),
        st.just(np.array(["1"] * n)),
        st.just([1.0, "2"][: max(n, 1)]),
        st.sampled_from([None, 1.5, "x", {"a": 1}]),
    )


def array_of(shape: tuple, elements=finite_float, integers=small_ints):
    """Three draws in four well-formed (random dtype, layout and magnitude), one hostile."""
    good = arrays(shape, elements, integers)
    return st.one_of(good, good, good, hostile_arrays(shape))


# Values that are not numbers, or are numbers of the wrong kind, for scalar arguments.
odd_scalars = st.sampled_from(
    [None, "1", "abc", b"1", [1], (), {}, 1j, True, False, NAN, INF, -INF, -1, 0, 1, 2**63, 2**64, 10**400, 1e300, 0.5]
)


def mostly(good, bad=odd_scalars):
    """Three draws in four from ``good``, one from ``bad``."""
    return st.one_of(good, good, good, bad)


class Faults:
    """Draws a call's arguments with at most one of them corrupted: about half the examples are
    well-formed (so results get checked), the others break exactly one argument (so the error
    must be about it)."""

    def __init__(self, data: Any, names: Sequence[str]):
        self.data = data
        self.names = list(names)
        self.corrupt = data.draw(st.sampled_from([None] * len(self.names) + self.names), "corrupt")

    def draw(self, name: str, good: Any, bad: Any = odd_scalars) -> Any:
        assert name in self.names, name
        return self.data.draw(bad if self.corrupt == name else good, name)

    def array(self, name: str, shape: tuple, elements: Any = finite_float, integers: Any = small_ints) -> Any:
        """A well-formed array of ``shape`` (random dtype, layout, magnitudes), or a hostile one."""
        return self.draw(name, arrays(shape, elements, integers), hostile_arrays(shape))
