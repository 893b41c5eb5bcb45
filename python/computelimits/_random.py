"""Counter-based random streams, the numpy twin of cpp/include/computelimits/common/random.hpp.

Draw i (i = 1, 2, ...) of stream (seed, s) is ``mix64(key + i * GAMMA)`` with
``key = mix64(mix64(seed ^ SALT) + (s + 1) * GAMMA)`` and ``mix64`` the SplitMix64
finalizer (Steele, Lea and Flood, "Fast splittable pseudorandom number
generators", OOPSLA 2014). Uniforms are the top 53 bits times 2^-53; normals are
Box-Muller pairs (u1 in (0, 1], u2 in [0, 1)): sqrt(-2 ln u1) cos(2 pi u2), then
the sine. Integer and uniform draws match the C++ core bit for bit; normals
match to the last unit or two of libm's log/cos/sin.
"""

from __future__ import annotations

import numpy as np

from . import _validation

GOLDEN_GAMMA = np.uint64(0x9E3779B97F4A7C15)
SEED_SALT = np.uint64(0x6A09E667F3BCC909)
_MULTIPLIER_1 = np.uint64(0xBF58476D1CE4E5B9)
_MULTIPLIER_2 = np.uint64(0x94D049BB133111EB)
_TWO_POW_MINUS_53 = 2.0**-53


def mix64(z: np.ndarray) -> np.ndarray:
    """SplitMix64 finalizer on uint64 arrays (wrapping arithmetic)."""
    z = np.asarray(z, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * _MULTIPLIER_1
        z = (z ^ (z >> np.uint64(27))) * _MULTIPLIER_2
    return z ^ (z >> np.uint64(31))


def stream_keys(seed: int, streams: np.ndarray) -> np.ndarray:
    """Keys of streams ``streams`` under ``seed``."""
    streams = np.asarray(streams, dtype=np.uint64)
    base = mix64(np.uint64(seed) ^ SEED_SALT)
    with np.errstate(over="ignore"):
        return mix64(base + (streams + np.uint64(1)) * GOLDEN_GAMMA)


def raw_matrix(seed: int, first_stream: int, replicates: int, start: int, count: int) -> np.ndarray:
    """uint64 draws: row r holds draws start+1 .. start+count of stream first_stream + r."""
    keys = stream_keys(seed, np.arange(replicates, dtype=np.uint64) + np.uint64(first_stream))
    counters = np.arange(start + 1, start + count + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return mix64(keys[:, None] + counters[None, :] * GOLDEN_GAMMA)


def uniform_matrix(seed: int, first_stream: int, replicates: int, start: int, count: int) -> np.ndarray:
    """Uniform [0, 1) draws, same layout and values as ``_core.common.uniform_matrix``."""
    raw = raw_matrix(seed, first_stream, replicates, start, count)
    return (raw >> np.uint64(11)).astype(np.float64) * _TWO_POW_MINUS_53


def below_matrix(seed: int, first_stream: int, replicates: int, start: int, count: int, n: int) -> np.ndarray:
    """Integers uniform on [0, n): floor(u * n), as ``RandomStream::below``."""
    u = uniform_matrix(seed, first_stream, replicates, start, count)
    return np.minimum((u * float(n)).astype(np.int64), n - 1)


def normal_matrix(seed: int, first_stream: int, replicates: int, start: int, count: int) -> np.ndarray:
    """Standard normals by Box-Muller, same layout as ``_core.common.normal_matrix``."""
    if start % 2:
        raise ValueError(f"start must be even for normal draws, got {start}")
    pairs = (count + 1) // 2
    raw = raw_matrix(seed, first_stream, replicates, start, 2 * pairs)
    u1 = ((raw[:, 0::2] >> np.uint64(11)) + np.uint64(1)).astype(np.float64) * _TWO_POW_MINUS_53
    u2 = (raw[:, 1::2] >> np.uint64(11)).astype(np.float64) * _TWO_POW_MINUS_53
    radius = np.sqrt(-2.0 * np.log(u1))
    angle = 2.0 * np.pi * u2
    out = np.empty((replicates, 2 * pairs))
    out[:, 0::2] = radius * np.cos(angle)
    out[:, 1::2] = radius * np.sin(angle)
    return out[:, :count]


def draws(
    kind: str,
    seed: int,
    replicates: int,
    count: int,
    *,
    first_stream: int = 0,
    start: int = 0,
    threads=None,
    backend: str = "cpp",
) -> np.ndarray:
    """A (replicates, count) matrix of ``kind`` ("uniform" or "normal") draws.

    Row r is stream (seed, first_stream + r) from draw ``start`` on, so any
    block of replicates can be produced separately and concatenated.
    """
    _validation.check_backend(backend)
    seed = _validation.check_int("seed", seed, minimum=0, maximum=2**64 - 1)
    replicates = _validation.check_int("replicates", replicates, minimum=0)
    count = _validation.check_int("count", count, minimum=0)
    first_stream = _validation.check_int("first_stream", first_stream, minimum=0, maximum=2**64 - 1)
    start = _validation.check_int("start", start, minimum=0, maximum=2**63)
    if kind not in ("uniform", "normal"):
        raise ValueError(f"kind must be 'uniform' or 'normal', got {kind!r}")
    if kind == "normal" and start % 2:
        raise ValueError(f"start must be even for normal draws, got {start}")
    if backend == "numpy":
        twin = uniform_matrix if kind == "uniform" else normal_matrix
        return twin(seed, first_stream, replicates, start, count)
    from . import _core

    kernel = _core.common.uniform_matrix if kind == "uniform" else _core.common.normal_matrix
    return kernel(seed, first_stream, replicates, start, count, _validation.resolve_threads(threads))
