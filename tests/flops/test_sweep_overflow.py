"""The sweep's numpy twin checks overflow with exact integer arithmetic (issue 13, item 6).

A float64 shadow of each product rounds operands above 2^53, so near 2^63 it both
missed overflows (a wrapped, negative count) and invented them (raising where the
C++ core fits). The reference is exact Python-int arithmetic: ``count`` of the model
``decoder_only`` builds (per-example counts in checked int64, the batch multiplied
in as a Python int).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from computelimits import flops
from computelimits.flops import sweep

INT64_MAX = 2**63 - 1
COLUMNS = ("macs", "flops", "params", "backward_flops", "activations")


def _exact(layers, d_model, seq_len, vocab, heads, batch):
    report = flops.count(flops.decoder_only(layers, d_model, seq_len, vocab, heads), batch=batch)
    return {column: getattr(report, column) for column in COLUMNS}


def _sweep(backend, *grid, batch):
    try:
        result = flops.sweep_transformer(*grid, batch=batch, backend=backend)
    except OverflowError:
        return None
    return {column: int(result[column][0]) for column in COLUMNS}


def test_numpy_no_longer_wraps_to_a_negative_count():
    """Found by searching the overflow boundary: the float shadow of 161 x X rounded below 2^63."""
    grid, batch = (1, 10, 38, 37689490179800, 2), 161
    exact = _exact(*grid, batch)
    assert exact["backward_flops"] > INT64_MAX  # the true count does not fit: both backends must refuse it
    assert _sweep("cpp", *grid, batch=batch) is None
    assert _sweep("numpy", *grid, batch=batch) is None


@pytest.mark.parametrize(
    ("grid", "batch"),
    [((4, 6, 9, 42700796466919831, 2), 1), ((3, 21, 5, 21960409611558164, 3), 1)],
)
def test_numpy_no_longer_refuses_counts_that_fit(grid, batch):
    """Counts within 2^10 of 2^63 - 1 that the float shadow rounded up to 2^63."""
    exact = _exact(*grid, batch)
    assert INT64_MAX - 2**10 < max(exact.values()) <= INT64_MAX
    assert _sweep("numpy", *grid, batch=batch) == _sweep("cpp", *grid, batch=batch) == exact


def test_helpers_against_python_ints_at_the_edge():
    assert sweep._mul(103, np.array([89547301328687143]))[0] == 103 * 89547301328687143
    with pytest.raises(OverflowError):
        sweep._mul(103, np.array([89547301328687144]))  # 2^63 + 24; the float shadow said 2^63 - 1024
    big = (INT64_MAX - 7) // 2
    assert sweep._add(np.array([big]), big, 7)[0] == INT64_MAX
    with pytest.raises(OverflowError):
        sweep._add(np.array([big]), big, 8)


operand = st.one_of(st.integers(0, 2**12), st.integers(0, INT64_MAX), st.integers(2**52, 2**63 // 3))


@settings(max_examples=300, deadline=None)
@given(factors=st.lists(operand, min_size=2, max_size=4))
def test_mul_and_add_match_exact_arithmetic(factors):
    for helper, combine in ((sweep._mul, lambda a, b: a * b), (sweep._add, lambda a, b: a + b)):
        exact, overflow = factors[0], False
        for factor in factors[1:]:
            exact = combine(exact, factor)
            overflow = overflow or exact > INT64_MAX
        if overflow:
            with pytest.raises(OverflowError):
                helper(np.array([factors[0]]), *factors[1:])
        else:
            assert int(helper(np.array([factors[0]]), *factors[1:])[0]) == exact
