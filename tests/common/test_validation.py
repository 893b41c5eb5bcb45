"""Shared argument checks."""

import math

import pytest

from computelimits import flops
from computelimits._validation import check_count


def test_whole_floats_are_exact_counts():
    assert check_count("tokens", 300e9) == 300_000_000_000
    assert check_count("tokens", 7) == 7


@pytest.mark.parametrize("value", [1.5, math.nan, math.inf, 2.0**60])
def test_inexact_floats_are_refused_by_name(value):
    with pytest.raises(ValueError, match="tokens"):
        check_count("tokens", value)


def test_training_flops_accepts_scientific_token_counts():
    model = flops.zoo.gpt2()
    as_float = flops.training_flops(model, tokens=300e9)
    as_int = flops.training_flops(model, tokens=300 * 10**9)
    assert as_float.total_flop == as_int.total_flop == 6 * 124_439_808 * 300 * 10**9
