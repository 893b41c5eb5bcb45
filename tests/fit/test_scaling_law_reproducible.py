"""Same data, same seed, same records: the scaling-law kernels do not depend on where memory lies.

Found on the x86-64-v4 core: with implicit FMA contraction, GCC fused a * b + c in the
vectorized body of the L-BFGS loops but not in the scalar iterations it peels off to reach an
aligned address, so a refit depended on the heap addresses of its workspace and the bootstrap
records differed in the last bits from call to call (1-4 calls in 30). The core is now built
with -ffp-contract=off; these tests hold every level this CPU runs to bit-identical repeats.
"""

import os
import subprocess
import sys
import textwrap

import pytest

from computelimits import _core, _cpu


def _built(level):
    from importlib.util import find_spec

    return find_spec("computelimits._core_" + level.replace("-", "_")) is not None


# Every level built that this CPU runs (None: the one core of a native build).
LEVELS = [level for level in ("baseline", "x86-64-v3", "x86-64-v4") if level in _cpu.levels() and _built(level)] or [
    None
]

REPEATS = textwrap.dedent(
    """
    import numpy as np
    from computelimits import _core
    rng = np.random.default_rng(0)
    n = 40
    N, D = np.exp(rng.uniform(18, 23, n)), np.exp(rng.uniform(20, 27, n))
    L = (1.69 + 406.4 / N**0.34 + 410.7 / D**0.28) * np.exp(rng.normal(0, 0.02, n))
    data = (np.log(N), np.log(D), np.log(L), 1e-3, np.array([4.220563624146759, 6.721976836260289, 0.43798447028206644, 0.23171267220142583, 0.3151819035007684]))
    options = (10, 1e-12, 1e-8, 1000, 2500, 20)
    def run(threads):
        return _core.fit.scaling_law_bootstrap(*data, *options, 12, 0, 30, threads)
    reference = run(1)
    differing = 0
    for k in range(400):
        # shift the heap between calls so the kernels' scratch buffers land at other addresses
        clutter = [np.empty(int(s)) for s in rng.integers(1, 600, 50)]
        differing += not np.array_equal(run(1 + k % 2), reference, equal_nan=True)
        del clutter
    print(differing)
    """
)


@pytest.mark.parametrize("level", LEVELS)
def test_bootstrap_refits_repeat_bit_for_bit_at_any_address_and_thread_count(level):
    env = dict(os.environ)
    if level is not None:
        env["COMPUTELIMITS_ISA"] = level
    out = subprocess.run([sys.executable, "-c", REPEATS], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0", f"{out.stdout.strip()} of 400 repeats differed on {level}"


def test_the_core_is_built_without_implicit_fma_contraction():
    info = _core.build_info()
    if info["compiler"].startswith(("GNU", "Clang", "AppleClang")):
        assert "-ffp-contract=off" in info["cxx_flags"]
