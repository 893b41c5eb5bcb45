"""Counting a grid of decoder-only transformers in one call.

``sweep_transformer`` evaluates every configuration of the Cartesian grid
layers x d_model x seq_len x vocab x heads (heads varying fastest) with the
layer catalogue's formulas for the model ``decoder_only`` builds, so each row
equals ``count(decoder_only(...))``. backend="cpp" runs a threaded C++ kernel
with the GIL released; backend="numpy" is its vectorized twin, which checks
every product and sum for int64 overflow as the C++ checked arithmetic does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Dict, Optional, Union

import numpy as np

from .. import runner
from .._display import ResultDisplay
from .._validation import check_backend, check_int
from . import _twin
from .count import Convention
from .layers import GELU, MAX_SIZE, AdditiveEmbedding, Embedding, LayerNorm, Linear, MultiheadAttention
from .models import Residual, Sequential

GRID = ("layers", "d_model", "seq_len", "vocab", "heads")
COUNTS = ("macs", "flops", "params", "backward_flops", "activations")
COLUMNS = GRID + COUNTS

#: Largest grid one sweep counts (the memory check usually stops far earlier: 40 bytes a configuration).
MAX_CONFIGURATIONS = 2**40
#: Cost units of one configuration (a few hundred checked integer operations).
_CONFIGURATION_COST = 400.0
#: The numpy twin's temporaries per configuration (int64 columns and their float64 shadows).
_TWIN_BYTES_PER_CONFIGURATION = 1024.0
IntOrInts = Union[int, Sequence[int], np.ndarray]


def decoder_only(
    layers: int,
    d_model: int,
    seq_len: int,
    vocab: int,
    heads: int,
    ff_mult: int = 4,
    tied_embeddings: bool = True,
    name: Optional[str] = None,
) -> Sequential:
    """GPT-2-style decoder: token + learned position embeddings, pre-norm blocks, tied LM head.

    Each block is Residual(LayerNorm, causal MultiheadAttention) then
    Residual(LayerNorm, Linear(d, ff_mult d), GELU, Linear(ff_mult d, d)) (Radford et al. 2019).

    Parameters
    ----------
    layers : int
        Transformer blocks.
    d_model : int
        Width.
    seq_len : int
        Tokens per example.
    vocab : int
        Vocabulary size.
    heads : int
        Attention heads.
    ff_mult : int, default 4
        MLP width over d_model.
    tied_embeddings : bool, default True
        The LM head shares the token embedding's weights.
    name : str, optional
        The model's name.

    Returns
    -------
    Sequential

    Examples
    --------
    >>> from computelimits import flops
    >>> model = flops.decoder_only(layers=2, d_model=64, seq_len=16, vocab=100, heads=4)
    >>> flops.count(model).macs
    1740800
    """
    blocks = []
    for _ in range(check_int("layers", layers, minimum=1)):
        blocks.append(Residual([LayerNorm(d_model), MultiheadAttention(d_model, heads, causal=True)]))
        blocks.append(
            Residual(
                [LayerNorm(d_model), Linear(d_model, ff_mult * d_model), GELU(), Linear(ff_mult * d_model, d_model)]
            )
        )
    return Sequential(
        [
            Embedding(vocab, d_model),
            AdditiveEmbedding(seq_len, d_model),
            *blocks,
            LayerNorm(d_model),
            Linear(d_model, vocab, bias=False, shared_weight=tied_embeddings),
        ],
        input_shape=(seq_len,),
        name=name or f"decoder_L{layers}_d{d_model}",
    )


@dataclass(frozen=True, repr=False)
class SweepResult(ResultDisplay):
    """Counts (int64 arrays, one entry per grid point, heads fastest) at ``batch``.

    ``result["macs"]`` etc. give counts; ``result["d_model"]`` etc. the grid
    coordinates of each entry (built on demand from ``axes``).
    """

    axes: Dict[str, np.ndarray]
    counts: Dict[str, np.ndarray]
    batch: int
    convention: Convention

    def __len__(self) -> int:
        return len(self.counts["macs"])

    def __getitem__(self, name: str) -> np.ndarray:
        if name in self.counts:
            return self.counts[name]
        if name not in GRID:
            raise KeyError(f"unknown sweep column {name!r}; columns: {list(COLUMNS)}")
        grids = np.meshgrid(*(self.axes[k] for k in GRID), indexing="ij")
        return grids[GRID.index(name)].ravel()

    @property
    def columns(self) -> Dict[str, np.ndarray]:
        grids = np.meshgrid(*(self.axes[k] for k in GRID), indexing="ij")
        return {**{k: g.ravel() for k, g in zip(GRID, grids)}, **self.counts}

    def __repr__(self) -> str:
        return f"SweepResult(configurations={len(self)}, batch={self.batch}, columns={list(COLUMNS)})"

    def to_dict(self) -> Dict[str, Any]:
        return {"batch": self.batch, **{k: v.tolist() for k, v in self.columns.items()}}

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(self.columns)


def _values(name: str, value: IntOrInts) -> np.ndarray:
    array = np.atleast_1d(np.asarray(value))
    if array.ndim != 1 or array.size == 0 or array.dtype.kind not in "iu":
        raise ValueError(f"{name} must be a positive integer or a non-empty 1-D sequence of them, got {value!r}")
    if array.min() < 1 or array.max() >= MAX_SIZE:
        raise ValueError(f"{name} entries must be in [1, 2^62), got {array.min()}..{array.max()}")
    return array.astype(np.int64)


def sweep_transformer(
    layers: IntOrInts,
    d_model: IntOrInts,
    seq_len: IntOrInts,
    vocab: IntOrInts,
    heads: IntOrInts,
    ff_mult: int = 4,
    tied_embeddings: bool = True,
    batch: int = 1,
    convention: Optional[Convention] = None,
    backend: str = "cpp",
    threads: Optional[int] = None,
    executor: Any = None,
    progress: Optional[bool] = None,
) -> SweepResult:
    """MACs, FLOPs, params, backward FLOPs and activations over a grid of decoder-only transformers.

    Per configuration (L = seq_len, d = d_model, f = ff_mult d, P = query-key pairs,
    L^2 or L(L+1)/2 with ``exploit_causal_mask``): MACs = layers (4 L d^2 + 2 P d + 2 L d f)
    + L d vocab; the extras, params and backward follow the layer catalogue (docs/flops.md).
    Each entry equals ``count(decoder_only(...))`` of that configuration.
    The grid is counted in blocks of configurations by :mod:`computelimits.runner`
    (``executor``: None for local threads, a ``concurrent.futures.Executor`` or a
    ``dask.distributed.Client``); each configuration's counts depend on it alone.

    Parameters
    ----------
    layers, d_model, seq_len, vocab, heads : int or sequence of int
        The grid's axes (their product is swept, heads fastest).
    ff_mult : int, default 4
        MLP width over d_model.
    tied_embeddings : bool, default True
        The LM head shares the token embedding's weights.
    batch : int, default 1
        Examples per forward pass.
    convention : Convention, optional
        Which extras count as FLOPs.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.
    threads : int, optional
        Worker threads (default every core).
    progress : bool, optional
        Show a progress bar (default: when the run is long).
    executor : optional
        None (local threads), a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``
        (:mod:`computelimits.runner`); the result does not depend on it.

    Returns
    -------
    SweepResult
        ``result["macs"]`` etc. (int64 arrays, one entry per configuration) and the grid
        coordinates ``result["layers"]`` etc.

    Examples
    --------
    >>> from computelimits import flops
    >>> grid = flops.sweep_transformer(layers=[2, 4], d_model=64, seq_len=16, vocab=100, heads=4)
    >>> grid["layers"], grid["macs"]  # 4 L d^2 + 2 L^2 d + 2 L d f per layer, + L d vocab
    (array([2, 4]), array([1740800, 3379200]))
    """
    check_backend(backend)
    convention = Convention() if convention is None else convention
    if not isinstance(convention, Convention):
        raise TypeError(f"convention must be a flops.Convention, got {type(convention).__name__}")
    if not isinstance(tied_embeddings, bool):
        raise TypeError(f"tied_embeddings must be True or False, got {tied_embeddings!r}")
    ff_mult = check_int("ff_mult", ff_mult, minimum=1, maximum=MAX_SIZE - 1)
    batch = check_int("batch", batch, minimum=1, maximum=MAX_SIZE - 1)
    axes = [_values(n, v) for n, v in zip(COLUMNS[:5], (layers, d_model, seq_len, vocab, heads))]
    bad = np.asarray(axes[1])[:, None] % axes[4][None, :]
    if bad.any():
        d_bad, h_bad = np.argwhere(bad)[0]
        raise ValueError(f"heads={axes[4][h_bad]} does not divide d_model={axes[1][d_bad]}")
    total = int(np.prod([len(axis) for axis in axes], dtype=object))
    if total > MAX_CONFIGURATIONS:
        raise ValueError(f"the grid has {total} configurations; at most {MAX_CONFIGURATIONS} are counted in one sweep")
    pieces = runner.run(
        _cpp_block if backend == "cpp" else _numpy_block,
        (*axes, ff_mult, tied_embeddings, batch, convention.flags),
        runner.plan_blocks(total, _CONFIGURATION_COST, _TWIN_BYTES_PER_CONFIGURATION),
        executor=executor,
        threads=threads,
        backend=backend,
        progress=progress,
        description="sweep_transformer",
        footprint=runner.Footprint(
            arguments={"configurations": total},
            result_per_item=8.0 * len(COUNTS),
            twin_per_item=_TWIN_BYTES_PER_CONFIGURATION,
        ),
    )
    table = runner.concatenate(pieces, axis=1)
    counts = {name: table[i] for i, name in enumerate(COUNTS)}
    return SweepResult(dict(zip(GRID, axes)), counts, batch, convention)


def _cpp_block(layers, d_model, seq_len, vocab, heads, ff_mult, tied, batch, flags, first, count, threads):
    """(5, count) counts of grid points [first, first + count) from the C++ core (the runner's kernel)."""
    from .. import _core

    return _core.flops.sweep_transformer(
        layers, d_model, seq_len, vocab, heads, ff_mult, tied, batch, flags, threads, first, count
    )


def _numpy_block(layers, d_model, seq_len, vocab, heads, ff_mult, tied, batch, flags, first, count, threads):
    """The same counts from the numpy twin (``threads`` unused)."""
    counts = _sweep_numpy((layers, d_model, seq_len, vocab, heads), ff_mult, tied, batch, flags, first, count)
    return np.stack([counts[name] for name in COUNTS])


def _overflow() -> OverflowError:
    return OverflowError("sweep count does not fit in a signed 64-bit integer")


def _mul(*factors) -> np.ndarray:
    """Left-fold product of non-negative int64 counts, checked exactly at every step.

    A wrapped product p of a, b in [0, 2^63) is negative or has p // a != b, so the
    check is exact (a float64 shadow rounds operands above 2^53 and misses or invents
    overflows near 2^63).
    """
    result = np.asarray(factors[0], dtype=np.int64)
    for factor in factors[1:]:
        factor = np.asarray(factor, dtype=np.int64)
        with np.errstate(over="ignore"):
            product = result * factor
        wrapped = (product < 0) | ((result != 0) & (product // np.where(result == 0, 1, result) != factor))
        if np.any(wrapped):
            raise _overflow()
        result = product
    return result


def _add(*terms) -> np.ndarray:
    """Left-fold sum of non-negative int64 counts; a wrapped sum of two is negative, so the check is exact."""
    result = np.asarray(terms[0], dtype=np.int64)
    for term in terms[1:]:
        with np.errstate(over="ignore"):
            result = result + np.asarray(term, dtype=np.int64)
        if np.any(result < 0):
            raise _overflow()
    return result


def _sweep_numpy(
    axes, ff_mult: int, tied: bool, batch: int, flags: int, first: int = 0, count: Optional[int] = None
) -> Dict[str, np.ndarray]:
    """Vectorized twin of cell_terms/finish in cpp/src/flops/sweep.cpp (same terms, same checks),
    for grid points [first, first + count) (default: all)."""
    shape = tuple(len(axis) for axis in axes)
    stop = int(np.prod(shape, dtype=object)) if count is None else first + count
    index = np.unravel_index(np.arange(first, stop, dtype=np.int64), shape)
    layers, d, length, vocab, heads = (axis[i] for axis, i in zip(axes, index))
    zero = np.zeros_like(d)
    on = lambda flag, value: value() if flags & flag else zero  # noqa: E731
    ff = _mul(ff_mult, d)
    n = _mul(length, d)
    if flags & _twin.EXPLOIT_CAUSAL:  # L (L + 1) / 2, halving the even factor first as attention_pairs does
        even = length % 2 == 0
        pairs = _mul(np.where(even, length // 2, length), np.where(even, length + 1, (length + 1) // 2))
    else:
        pairs = _mul(length, length)
    ln_extra, ln_in, ln_w = (on(_twin.NORMALIZATION, lambda k=k: _mul(n, k)) for k in (7, 5, 3))
    proj = _mul(length, d, d)
    scores = _mul(2, pairs, d)
    attn_bias = on(_twin.BIAS, lambda: _mul(4, n))
    attn_macs = _add(_mul(4, proj), scores)
    attn_in = _add(_mul(6, proj), _mul(2, proj), _mul(4, scores))
    attn_w = _add(_mul(8, proj), attn_bias)
    mlp = _mul(length, d, ff)
    mlp_bias = on(_twin.BIAS, lambda: _add(_mul(length, ff), n))
    gelu = on(_twin.ACTIVATION, lambda: _mul(5, length, ff))
    add_extra = on(_twin.ELEMENTWISE, lambda: n)
    block_macs = _add(attn_macs, _mul(2, mlp))
    block_extra = _add(_mul(2, ln_extra), attn_bias, _mul(2, add_extra), mlp_bias, gelu)
    block_params = _add(_mul(4, d), _mul(4, d, d), _mul(4, d), _mul(2, d, ff), ff, d)
    block_backward = _add(_mul(2, _add(ln_in, ln_w)), attn_in, attn_w, _mul(8, mlp), mlp_bias, gelu)
    block_act = _add(_mul(2, n), _mul(5, n), n, _mul(2, length, ff), n, n)
    softmax = on(_twin.SOFTMAX, lambda: _mul(6, heads, pairs))
    head = _mul(n, vocab)
    macs = _mul(batch, _add(_mul(layers, block_macs), head))
    extra = _mul(batch, _add(add_extra, _mul(layers, _add(block_extra, softmax)), ln_extra))
    out = {
        "macs": macs,
        "flops": _add(_mul(2, macs), extra),
        "params": _add(_mul(vocab, d), n, _mul(layers, block_params), _mul(2, d), zero if tied else _mul(d, vocab)),
        "backward_flops": _mul(
            batch, _add(_mul(2, n), _mul(layers, _add(block_backward, softmax)), ln_in, ln_w, _mul(4, head))
        ),
        "activations": _mul(
            batch, _add(_mul(2, n), _mul(layers, _add(block_act, _mul(2, heads, pairs))), n, _mul(length, vocab))
        ),
    }
    return {k: np.ascontiguousarray(v, dtype=np.int64) for k, v in out.items()}
