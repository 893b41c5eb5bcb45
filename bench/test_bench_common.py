"""Random streams: C++ fill versus the vectorized numpy twin (same numbers)."""

import numpy as np
import pytest

from computelimits import _random

REPLICATES, COUNT = 64, 20_000


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_uniform_draws(benchmark, backend):
    benchmark.group = "random: 64 x 20000 uniforms"
    draws = benchmark(_random.draws, "uniform", 11, REPLICATES, COUNT, threads=1, backend=backend)
    reference = _random.draws("uniform", 11, REPLICATES, COUNT, backend="numpy")
    assert draws.tobytes() == reference.tobytes()


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_normal_draws(benchmark, backend):
    benchmark.group = "random: 64 x 20000 normals"
    draws = benchmark(_random.draws, "normal", 11, REPLICATES, COUNT, threads=1, backend=backend)
    reference = _random.draws("normal", 11, REPLICATES, COUNT, backend="numpy")
    np.testing.assert_allclose(draws, reference, rtol=1e-13, atol=1e-14)
