"""Input checks for the fit area: every message names the argument and the value."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

import numpy as np

from .._validation import real_array


def as_vector(name: str, values: Any) -> np.ndarray:
    """A 1-D float64 array of finite values, else TypeError/ValueError naming ``name``."""
    array = real_array(name, values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    bad = ~np.isfinite(array)
    if np.any(bad):
        index = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name} must be finite, got {array[index]} at index {index}")
    return array


def as_positive_vector(name: str, values: Any) -> np.ndarray:
    """As ``as_vector`` and every value > 0 (compute and error go through log10)."""
    array = as_vector(name, values)
    bad = ~(array > 0)
    if np.any(bad):
        index = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name} must be positive, got {array[index]} at index {index}")
    return array


def as_design(name: str, values: Any) -> np.ndarray:
    """A 2-D float64 array (a 1-D input becomes one column) of finite values."""
    array = real_array(name, values)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError(f"{name} must be one- or two-dimensional, got shape {array.shape}")
    bad = ~np.isfinite(array)
    if np.any(bad):
        row, col = (int(v) for v in np.argwhere(bad)[0])
        raise ValueError(f"{name} must be finite, got {array[row, col]} at row {row}, column {col}")
    return np.ascontiguousarray(array)


def check_same_length(first: str, a: np.ndarray, second: str, b: np.ndarray) -> None:
    if len(a) != len(b):
        raise ValueError(f"{first} and {second} must have the same length, got {len(a)} and {len(b)}")


def check_enough_points(name: str, count: int, minimum: int = 3) -> None:
    if count < minimum:
        raise ValueError(f"{name} needs at least {minimum} points, got {count}")


def check_not_constant(name: str, values: np.ndarray) -> None:
    if values.size and np.all(values == values.flat[0]):
        raise ValueError(f"{name} is constant (every value is {values.flat[0]}); a slope cannot be fitted")


def check_choice(name: str, value: Any, choices) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}")
    return value


@contextlib.contextmanager
def naming(arguments: str) -> Iterator[None]:
    """Prefix a ValueError/OverflowError raised inside with the caller's ``arguments``: ``ols``
    speaks of its own X and y, which a caller of bootstrap_ols, chow_test or doubling_time never passed."""
    try:
        yield
    except (ValueError, OverflowError) as error:
        raise type(error)(f"{arguments}: {error}") from None
