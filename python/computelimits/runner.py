"""One replicate runner for every resampling and simulation entry point.

The work of an entry point is a range of independent items (replicates of a simulation,
bootstrap resamples, configurations of a sweep): item r depends only on the problem and
on its own random stream (seed, r), never on other items. The runner cuts the range
[first, first + total) into fixed blocks, computes each block with a module-level kernel
``kernel(*args, block_first, block_count, threads)`` and returns the block results in
block order, so joining them is bit-identical to one call over the whole range,
whoever computed them:

- ``executor=None`` (this machine): a C++ kernel gets the whole range in one call on
  ``threads`` threads (all cores by default; its parallel loop balances the items), run
  in a helper thread while the calling thread draws progress and listens for Ctrl-C; a
  numpy twin computes the blocks one after another on the calling thread, so its memory
  is bounded by one block.
- a ``concurrent.futures.Executor`` (thread or process pool) or a
  ``dask.distributed.Client`` (duck-typed: ``submit``, ``map``, ``scatter``, ``cancel``,
  ``scheduler_info``; Dask is imported only then): one task per block, gathered in block order; ``threads`` (default 1) is the thread count inside
  each task, and BLAS is held to one thread inside the tasks (threadpoolctl) so that the
  tasks of one machine do not oversubscribe its cores.

Blocks depend only on the problem (:func:`plan_blocks`): a block holds about
``BLOCK_WORK`` cost units (floating-point operations, roughly) and at most
``BLOCK_BYTES`` of numpy-twin working set, never fewer than ``total / MAX_BLOCKS``
items, and never depends on the executor or the number of workers.

Ctrl-C: the calling thread sets a cancellation token that the C++ kernels check between
items and inside long loops (they stop by raising KeyboardInterrupt), waits for its
helper thread, cancels pending futures and re-raises KeyboardInterrupt. See
docs/distributed.md.
"""

from __future__ import annotations

import concurrent.futures
import os
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from . import _validation
from ._dispatch import TOKENS, gather_dask, gather_futures, interruptible, new_token_key, run_block, task_environment
from ._memory import check_memory, format_bytes
from ._progress import Progress

#: Cost units (about one floating-point operation each) per block: a few tenths of a second
#: of one core for the dense kernels, far more than a task's scheduling cost.
BLOCK_WORK = 2**34
#: Bytes of numpy-twin working set per block.
BLOCK_BYTES = 2**27
#: At most this many blocks; larger problems get larger blocks.
MAX_BLOCKS = 10_000
#: Largest replicate or resample count an entry point accepts (validation, both backends).
MAX_REPLICATES = 10**9
#: Local C++ calls with less work than this run on the calling thread (well under a second).
DIRECT_WORK = 2**27

__all__ = [
    "BLOCK_BYTES",
    "BLOCK_WORK",
    "MAX_BLOCKS",
    "MAX_REPLICATES",
    "Footprint",
    "Plan",
    "concatenate",
    "describe",
    "interruptible",
    "plan_blocks",
    "run",
    "run_block",
]


@dataclass(frozen=True)
class Plan:
    """Items [first, first + total) in blocks of ``size`` (the last may be shorter)."""

    first: int
    total: int
    size: int
    item_cost: float

    @property
    def count(self) -> int:
        """Number of blocks."""
        return -(-self.total // self.size)

    @property
    def work(self) -> float:
        """Total cost units."""
        return self.total * self.item_cost

    def blocks(self) -> List[Tuple[int, int]]:
        """(first item, item count) of each block, in order."""
        return [(self.first + start, min(self.size, self.total - start)) for start in range(0, self.total, self.size)]


def plan_blocks(total: int, item_cost: float, item_bytes: float = 0.0, first: int = 0) -> Plan:
    """Blocks for ``total`` items costing ``item_cost`` units and ``item_bytes`` of twin memory each.

    size = min(total, floor(BLOCK_WORK / item_cost), floor(BLOCK_BYTES / item_bytes)),
    at least 1 and at least ceil(total / MAX_BLOCKS). The blocks depend only on these
    arguments, never on the executor or the number of workers.

    Parameters
    ----------
    total : int
        Items (>= 1).
    item_cost : float
        Cost units (about one floating-point operation each) of one item.
    item_bytes : float, default 0.0
        The numpy twin's working set per item (0: no limit from memory).
    first : int, default 0
        The first item's index.

    Returns
    -------
    Plan
        ``blocks()`` lists (first item, item count) of each block.

    Examples
    --------
    >>> from computelimits import runner
    >>> runner.plan_blocks(10, item_cost=4e9).blocks()  # 2^34 units per block: 4 items
    [(0, 4), (4, 4), (8, 2)]
    """
    total = _validation.check_int("total", total, minimum=1)
    item_cost = max(float(item_cost), 1.0)
    size = min(total, max(1, int(BLOCK_WORK // item_cost)))
    if item_bytes > 0:
        size = min(size, max(1, int(BLOCK_BYTES // item_bytes)))
    size = max(size, -(-total // MAX_BLOCKS))
    return Plan(int(first), total, size, item_cost)


@dataclass(frozen=True)
class Footprint:
    """Memory a run needs, estimated from its arguments (bytes).

    ``arguments``: the arguments that drive the estimate, by name (shown in the error);
    ``result_per_item``: outputs kept per item; ``scratch_per_thread``: a kernel's working
    set per thread; ``twin_per_item``: the numpy twin's working set per item of a block;
    ``fixed``: what the caller allocates once (copies of the data, jackknife values).
    """

    arguments: Dict[str, Any] = field(default_factory=dict)
    result_per_item: float = 0.0
    scratch_per_thread: float = 0.0
    twin_per_item: float = 0.0
    fixed: float = 0.0


def _executor_kind(executor: Any) -> str:
    if executor is None:
        return "local"
    if isinstance(executor, concurrent.futures.Executor):
        return "futures"
    if all(
        callable(getattr(executor, name, None)) for name in ("submit", "map", "scatter", "cancel", "scheduler_info")
    ):
        return "dask"
    raise TypeError(
        f"executor must be None, a concurrent.futures.Executor or a dask.distributed.Client, "
        f"got {type(executor).__name__}"
    )


def _threads(threads: Any, kind: str) -> int:
    if kind == "local":
        return _validation.resolve_threads(threads)
    return 1 if threads is None else _validation.check_int("threads", threads, minimum=1, maximum=4096)


def describe(executor: Any = None, threads: Any = None) -> str:
    """Where a run goes, in words: "local threads (2)", "Dask scheduler tcp://... (2 workers)", ...

    Parameters
    ----------
    executor : optional
        None, a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``.
    threads : int, optional
        Threads per call (local: default every core).

    Returns
    -------
    str

    Examples
    --------
    >>> from computelimits import runner
    >>> runner.describe(threads=2)
    'local threads (2)'
    """
    kind = _executor_kind(executor)
    if kind == "local":
        return f"local threads ({_validation.resolve_threads(threads)})"
    if kind == "dask":
        workers = executor.scheduler_info().get("workers", {})
        address = getattr(getattr(executor, "scheduler", None), "address", None) or "?"
        threads_total = sum(int(w.get("nthreads", 1)) for w in workers.values())
        cluster = type(getattr(executor, "cluster", None)).__name__
        where = "a local Dask cluster" if cluster == "LocalCluster" else "a Dask cluster"
        return f"{where} of {len(workers)} workers ({threads_total} threads), scheduler {address}"
    size = getattr(executor, "_max_workers", None)
    return f"{type(executor).__name__}" + (f" ({size} workers)" if size else "")


def _check_footprint(description, footprint, plan, kind, backend, threads, executor) -> None:
    if footprint is None:
        return
    if "threads" in footprint.arguments:  # the count the run will use, not the None it was given
        footprint = replace(footprint, arguments={**footprint.arguments, "threads": threads})
    results = 2.0 * plan.total * footprint.result_per_item  # the blocks and their concatenation
    if kind == "local" and backend != "numpy":
        scratch = threads * footprint.scratch_per_thread
        each = format_bytes(footprint.scratch_per_thread)
        breakdown = f"{format_bytes(results)} of results, {threads} thread{'s' if threads != 1 else ''} x {each}"
        check_memory(description, footprint.fixed + results + scratch, footprint.arguments, breakdown)
        return
    block = plan.size * (footprint.result_per_item + (footprint.twin_per_item if backend == "numpy" else 0.0))
    task = block + (1 if backend == "numpy" else threads) * footprint.scratch_per_thread
    if kind == "local":
        breakdown = f"{format_bytes(results)} of results, {format_bytes(task)} for one block of {plan.size}"
        check_memory(description, footprint.fixed + results + task, footprint.arguments, breakdown)
        return
    check_memory(description, footprint.fixed + results, footprint.arguments, f"{format_bytes(results)} of results")
    limit = None
    if kind == "dask":
        limits = [int(w.get("memory_limit") or 0) for w in executor.scheduler_info().get("workers", {}).values()]
        limit = min((v for v in limits if v > 0), default=None)
    check_memory(
        description, task, footprint.arguments, f"one block of {plan.size} on one worker, {threads} threads", limit
    )


def run(
    kernel: Callable,
    args: Sequence,
    plan: Plan,
    *,
    executor: Any = None,
    threads: Any = None,
    backend: str = "cpp",
    progress: Optional[bool] = None,
    description: str = "",
    footprint: Optional[Footprint] = None,
) -> list:
    """Compute every block of ``plan`` with ``kernel`` and return the block results in order.

    ``kernel`` must be a module-level function (picklable by reference) called as
    ``kernel(*args, first, count, threads)``. ``backend`` ("cpp" or "numpy") picks the
    local strategy (see the module docstring). ``footprint`` is checked against the
    memory available before anything runs (MemoryError naming its arguments).

    Parameters
    ----------
    kernel : callable
        ``kernel(*args, first, count, threads)`` computes items [first, first + count).
    args : sequence
        The problem's arguments (pickled once per task under an executor).
    plan : Plan
        The blocks (``plan_blocks``).
    executor : optional
        None (local threads), a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``.
    threads : int, optional
        Threads per kernel call (local default: every core; under an executor: 1).
    backend : {"cpp", "numpy"}, default "cpp"
        A C++ kernel gets the whole range in one call locally; a numpy kernel one block at a time.
    progress : bool, optional
        Show a progress bar (default: when the run is long).
    description : str, default ""
        The run's name in progress bars and errors.
    footprint : Footprint, optional
        The memory the run needs, checked before it starts.

    Returns
    -------
    list
        One result per block, in block order.

    Examples
    --------
    >>> from computelimits import runner
    >>> def squares(offset, first, count, threads):  # a kernel: items [first, first + count)
    ...     return [offset + i * i for i in range(first, first + count)]
    >>> runner.run(squares, (0,), runner.plan_blocks(10, item_cost=4e9), backend="numpy")
    [[0, 1, 4, 9], [16, 25, 36, 49], [64, 81]]
    """
    kind = _executor_kind(executor)
    _validation.check_backend(backend)
    threads = _threads(threads, kind)
    _check_footprint(
        description or getattr(kernel, "__name__", "run"), footprint, plan, kind, backend, threads, executor
    )
    with Progress(plan.total, description, enabled=progress) as bar:
        if kind == "local" and backend == "numpy":
            results = []
            with task_environment(True):  # as in every task: BLAS's rounding depends on its thread count
                for first, count in plan.blocks():
                    results.append(kernel(*args, first, count, threads))
                    bar.advance(count)
            return results
        if kind == "local":
            if plan.work < DIRECT_WORK:
                result = kernel(*args, plan.first, plan.total, threads)
            else:
                result = interruptible(kernel, *args, plan.first, plan.total, threads, progress=bar)
            bar.advance(plan.total)
            return [result]
        from . import _core

        key = new_token_key()
        token = TOKENS[key] = _core.common.CancellationToken()
        gather = gather_dask if kind == "dask" else gather_futures
        try:
            return gather(executor, kernel, args, plan.blocks(), threads, (os.getpid(), key), bar, token)
        finally:
            del TOKENS[key]


def concatenate(pieces: Sequence, axis: int = 0):
    """Block results joined along ``axis`` (numpy arrays); a single block is returned as it is.

    Parameters
    ----------
    pieces : sequence of numpy.ndarray
        The blocks' results, in order.
    axis : int, default 0
        The item axis.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import runner
    >>> runner.concatenate([np.arange(2), np.arange(2, 5)])
    array([0, 1, 2, 3, 4])
    """
    import numpy as np

    return pieces[0] if len(pieces) == 1 else np.concatenate(pieces, axis=axis)
