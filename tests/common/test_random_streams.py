"""The shared random streams and parallel loop: reproducible whatever the thread count."""

import numpy as np
import pytest

from computelimits import _core, _random


def _reference_splitmix64(seed_state: int, count: int) -> list:
    """SplitMix64 written from its definition with Python ints (Steele et al. 2014)."""
    mask = (1 << 64) - 1
    out = []
    state = seed_state
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        out.append(z ^ (z >> 31))
    return out


def test_stream_is_splitmix64_sequence():
    # Known SplitMix64 output for state 0 (the reference generator's first value).
    assert _reference_splitmix64(0, 1)[0] == 0xE220A8397B1DCDAF
    key = _core.common.stream_key(12345, 7)
    assert int(_random.stream_keys(12345, [7])[0]) == key
    raw = _random.raw_matrix(12345, 7, 1, 0, 5)[0]
    assert [int(v) for v in raw] == _reference_splitmix64(key, 5)


@pytest.mark.parametrize("kind", ["uniform", "normal"])
def test_thread_count_does_not_change_draws(kind):
    one = _random.draws(kind, 2024, 37, 101, threads=1)
    two = _random.draws(kind, 2024, 37, 101, threads=2)
    many = _random.draws(kind, 2024, 37, 101, threads=8)
    assert one.tobytes() == two.tobytes() == many.tobytes()


def test_uniform_cpp_matches_numpy_twin_bit_for_bit():
    cpp = _random.draws("uniform", 99, 5, 1000, first_stream=3, start=17)
    twin = _random.draws("uniform", 99, 5, 1000, first_stream=3, start=17, backend="numpy")
    assert cpp.tobytes() == twin.tobytes()
    assert cpp.min() >= 0.0 and cpp.max() < 1.0


def test_normal_cpp_matches_numpy_twin():
    cpp = _random.draws("normal", 7, 4, 999, start=10)
    twin = _random.draws("normal", 7, 4, 999, start=10, backend="numpy")
    np.testing.assert_allclose(cpp, twin, rtol=1e-13, atol=1e-14)


def test_replicate_blocks_concatenate():
    whole = _random.draws("normal", 5, 1000, 8)
    first = _random.draws("normal", 5, 500, 8)
    second = _random.draws("normal", 5, 500, 8, first_stream=500)
    assert np.vstack([first, second]).tobytes() == whole.tobytes()


def test_normal_moments_match_standard_normal():
    z = _random.draws("normal", 1, 64, 20000).ravel()
    standard_error = 1 / np.sqrt(z.size)
    assert abs(z.mean()) < 5 * standard_error
    assert abs(z.var() - 1) < 5 * np.sqrt(2) * standard_error
    # Fourth moment of N(0, 1) is 3; its SE is sqrt(96/n).
    assert abs(np.mean(z**4) - 3) < 5 * np.sqrt(96) * standard_error


def test_distinct_streams_are_uncorrelated():
    u = _random.draws("uniform", 3, 2, 200000)
    correlation = np.corrcoef(u[0], u[1])[0, 1]
    assert abs(correlation) < 5 / np.sqrt(u.shape[1])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(seed=-1), "seed"),
        (dict(seed=2**64), "seed"),
        (dict(replicates=-2), "replicates"),
        (dict(threads=0), "threads"),
        (dict(backend="fortran"), "backend"),
    ],
)
def test_bad_arguments_name_themselves(kwargs, message):
    call = dict(kind="uniform", seed=1, replicates=2, count=3)
    call.update(kwargs)
    with pytest.raises(ValueError, match=message):
        _random.draws(**call)


def test_odd_start_for_normals_is_rejected():
    with pytest.raises(ValueError, match="start"):
        _random.draws("normal", 1, 1, 4, start=3)
