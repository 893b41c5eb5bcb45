"""Fixtures for the runner tests: small blocks, and a walk that compares results bit for bit."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from computelimits import runner


@pytest.fixture
def few_blocks(monkeypatch):
    """Cut every problem into (at most) six blocks, however small, so that joining blocks is exercised."""
    monkeypatch.setattr(runner, "BLOCK_WORK", 1.0)
    monkeypatch.setattr(runner, "MAX_BLOCKS", 6)


def assert_identical(actual, expected, where: str = "result") -> None:
    """Equal bit for bit: arrays by value and dtype (NaN equal to NaN), floats exactly,
    dataclasses, dicts and sequences field by field."""
    if dataclasses.is_dataclass(expected) and not isinstance(expected, type):
        assert type(actual) is type(expected), where
        for field in dataclasses.fields(expected):
            assert_identical(getattr(actual, field.name), getattr(expected, field.name), f"{where}.{field.name}")
    elif isinstance(expected, dict):
        assert isinstance(actual, dict) and actual.keys() == expected.keys(), where
        for key in expected:
            assert_identical(actual[key], expected[key], f"{where}[{key!r}]")
    elif isinstance(expected, np.ndarray):
        actual = np.asarray(actual)
        assert actual.dtype == expected.dtype and actual.shape == expected.shape, where
        assert np.array_equal(actual, expected, equal_nan=expected.dtype.kind in "fc"), where
    elif isinstance(expected, (list, tuple)):
        assert isinstance(actual, (list, tuple)) and len(actual) == len(expected), where
        for index, (a, e) in enumerate(zip(actual, expected)):
            assert_identical(a, e, f"{where}[{index}]")
    elif isinstance(expected, float) and math.isnan(expected):
        assert isinstance(actual, float) and math.isnan(actual), where
    else:
        assert actual == expected, where
