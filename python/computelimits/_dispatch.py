"""How the runner's blocks reach an executor, and how a run stops on Ctrl-C.

Separate from :mod:`computelimits.runner` (which decides the blocks) so that each stays
short: cancellation tokens of the runs in progress, BLAS held to one thread while a block
runs, the task every executor runs (:func:`run_block`), a C++ call that listens for
Ctrl-C (:func:`interruptible`), and the gathering of block results from a
``concurrent.futures.Executor`` or a Dask client.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import itertools
import os
import queue
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ._progress import Progress

#: How often (seconds) the calling thread looks at progress while it waits.
POLL_SECONDS = 0.05
#: How long an interrupted run waits for in-process tasks to notice the cancellation.
SETTLE_SECONDS = 2.0

# Cancellation tokens of the runs in progress in this process, by key: a block running in
# one of this process's threads (a thread pool, an in-process Dask worker) finds its
# run's token here; a block in another process has none and runs to its end.
TOKENS: Dict[int, Any] = {}
_TOKEN_KEYS = itertools.count(1)


def new_token_key() -> int:
    """A key for a run's token in :data:`TOKENS`, unique in this process."""
    return next(_TOKEN_KEYS)


@contextlib.contextmanager
def _installed(token: Any):
    if token is None:
        yield
        return
    from . import _core

    _core.common.install_token(token)
    try:
        yield
    finally:
        _core.common.install_token(None)


_BLAS_LOCK = threading.Lock()
_BLAS_STATE: Dict[str, Any] = {"users": 0, "limiter": None, "controller": None, "pinned_process": False}


def _blas_controller():
    if _BLAS_STATE["controller"] is None:
        from threadpoolctl import ThreadpoolController

        _BLAS_STATE["controller"] = ThreadpoolController()
    return _BLAS_STATE["controller"]


#: glibc's mallopt parameters (malloc.h) and the values its dynamic mmap threshold reaches:
#: blocks below 32 MiB come from the heap, which is trimmed above twice that.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_MMAP_THRESHOLD_MAX = 32 * 2**20


def _restore_heap_reuse() -> None:
    """Let glibc's malloc keep large blocks on the heap again in a worker process.

    Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536 so that they return
    memory to the system at once; setting any malloc threshold turns off glibc's dynamic
    mmap threshold, so every allocation above 128 KiB (a design, a Gram matrix) is mapped,
    zero-filled page by page and unmapped again. The kernels allocate such blocks per
    replicate, which doubled the CPU time of a worker. The two thresholds are set to the
    values the dynamic rule would reach (mallopt(3)).
    """
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ and "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        return
    import ctypes
    import ctypes.util
    import platform

    if platform.libc_ver()[0] != "glibc":
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_MAX)
        libc.mallopt(_M_TRIM_THRESHOLD, 2 * _MMAP_THRESHOLD_MAX)
    except (OSError, AttributeError):  # not glibc after all: nothing to restore
        return


@contextlib.contextmanager
def task_environment(same_process: bool):
    """BLAS on one thread while a block runs: for good in a worker process (which also gets
    glibc's heap reuse back, see :func:`_restore_heap_reuse`), and in the caller's process
    only while at least one of its blocks runs (then restored)."""
    if not same_process:
        with _BLAS_LOCK:
            if not _BLAS_STATE["pinned_process"]:
                _blas_controller().limit(limits=1, user_api="blas")
                _restore_heap_reuse()
                _BLAS_STATE["pinned_process"] = True
        yield
        return
    with _BLAS_LOCK:
        if _BLAS_STATE["users"] == 0:
            _BLAS_STATE["limiter"] = _blas_controller().limit(limits=1, user_api="blas")
        _BLAS_STATE["users"] += 1
    try:
        yield
    finally:
        with _BLAS_LOCK:
            _BLAS_STATE["users"] -= 1
            if _BLAS_STATE["users"] == 0:
                _BLAS_STATE["limiter"].restore_original_limits()
                _BLAS_STATE["limiter"] = None


def run_block(kernel: Callable, args: Sequence, first: int, count: int, threads: int, origin=None):
    """``kernel(*args, first, count, threads)``: one block, the task every executor runs.

    ``origin`` = (process id, token key) of the run that submitted it: in that process the
    block runs under the run's cancellation token, elsewhere without one. BLAS is held to
    one thread while the block runs (for good in a worker process).

    Parameters
    ----------
    kernel : callable
        The run's kernel.
    args : sequence
        Its arguments.
    first, count : int
        The block's items [first, first + count).
    threads : int
        Threads for the kernel.
    origin : (int, int), optional
        The submitting run's process id and token key.

    Returns
    -------
    object
        The kernel's result for the block.

    Examples
    --------
    >>> from computelimits import runner
    >>> def squares(offset, first, count, threads):  # a kernel: items [first, first + count)
    ...     return [offset + i * i for i in range(first, first + count)]
    >>> runner.run_block(squares, (0,), 2, 3, 1)
    [4, 9, 16]
    """
    same_process = origin is None or origin[0] == os.getpid()
    token = TOKENS.get(origin[1]) if origin is not None and same_process else None
    if origin is not None and same_process and token is None:  # the run has ended (interrupted, or a block failed)
        raise concurrent.futures.CancelledError(f"block [{first}, {first + count}) of a run that has ended")
    with task_environment(same_process), _installed(token):
        return kernel(*args, first, count, threads)


def interruptible(function: Callable, *args, progress: Optional[Progress] = None):
    """Call ``function(*args)`` (a call into the C++ core) so that Ctrl-C can stop it.

    The call runs on a helper thread under a fresh cancellation token, while this thread waits
    in short intervals, advances ``progress`` by the items the kernel reports finished and
    listens for Ctrl-C: on KeyboardInterrupt the token is cancelled, the helper joined and the
    KeyboardInterrupt re-raised.

    Parameters
    ----------
    function : callable
        The call (the C++ kernels check the token between items and inside long loops).
    *args
        Its arguments.
    progress : Progress, optional
        A progress bar to advance.

    Returns
    -------
    object
        ``function(*args)``.

    Examples
    --------
    >>> from computelimits import runner
    >>> runner.interruptible(sum, [1, 2, 3])
    6
    """
    from . import _core

    token = _core.common.CancellationToken()
    outcome: Dict[str, Any] = {}
    finished = threading.Event()

    def target() -> None:
        _core.common.install_token(token)
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # handed to the waiting thread, never printed here
            outcome["error"] = error
        finally:
            _core.common.install_token(None)
            finished.set()

    helper = threading.Thread(target=target, name="computelimits-kernel", daemon=True)
    helper.start()
    shown = 0
    try:
        # An Event, not Thread.join(timeout): a KeyboardInterrupt inside join() marks the
        # thread stopped while it still runs (CPython 3.9-3.12), and a later join() returns at once.
        while not finished.wait(POLL_SECONDS):
            if progress is not None and token.done > shown:
                progress.advance(token.done - shown)
                shown = token.done
    except BaseException:
        token.cancel()
        while not finished.wait(POLL_SECONDS):
            pass
        helper.join()
        raise
    helper.join()
    if "error" in outcome:
        raise outcome.pop("error")
    return outcome["value"]


def gather_futures(executor, kernel, args, blocks: List[Tuple[int, int]], threads, origin, bar, token) -> list:
    """One task per block on a ``concurrent.futures.Executor``; the results in block order."""
    futures: List[Any] = []
    results: List[Any] = [None] * len(blocks)
    # Finished blocks announce themselves through a queue (done callbacks): waiting on
    # thousands of futures with concurrent.futures.wait takes every future's lock, and a
    # KeyboardInterrupt in the middle of that leaves some locked for good.
    finished: queue.SimpleQueue = queue.SimpleQueue()
    try:
        for index, (first, count) in enumerate(blocks):
            future = executor.submit(run_block, kernel, args, first, count, threads, origin)
            future.add_done_callback(lambda _, index=index: finished.put(index))
            futures.append(future)
        for _ in blocks:
            index = _next(finished)
            results[index] = futures[index].result()
            bar.advance(blocks[index][1])
    except BaseException:
        token.cancel()
        running = [future for future in futures if not future.cancel()]
        deadline = time.monotonic() + SETTLE_SECONDS  # in-process blocks stop at their next check
        for future in running:
            with contextlib.suppress(BaseException):
                future.exception(timeout=max(deadline - time.monotonic(), 0.0))
        raise
    return results


def _next(finished: queue.SimpleQueue) -> int:
    while True:
        try:
            return finished.get(timeout=POLL_SECONDS)
        except queue.Empty:
            continue


def _dask_block(first: int, count: int, *, kernel: Callable, args: Sequence, threads: int, origin):
    """run_block with the block's range first, the shape ``Client.map`` calls."""
    return run_block(kernel, args, first, count, threads, origin)


def gather_dask(client, kernel, args, blocks: List[Tuple[int, int]], threads, origin, bar, token) -> list:
    """One task per block on a Dask client (data scattered once, one ``map`` call); the results in block order."""
    from distributed import as_completed

    results: List[Any] = [None] * len(blocks)
    submitted: List[Any] = []
    try:
        # The data travel once per worker, not once per block; one map call builds every task
        # (a submit per block costs about a millisecond of the client's time each).
        submitted += client.scatter([tuple(args)], hash=False)
        futures = client.map(
            _dask_block,
            [first for first, _ in blocks],
            [count for _, count in blocks],
            kernel=kernel,
            args=submitted[0],
            threads=threads,
            origin=origin,
            pure=False,
        )
        submitted += futures
        position = {future.key: index for index, future in enumerate(futures)}
        for future in as_completed(futures):
            index = position[future.key]
            results[index] = future.result()
            bar.advance(blocks[index][1])
    except BaseException:
        token.cancel()  # blocks on in-process workers stop at their next check; the others finish alone
        client.cancel(submitted)
        raise
    return results
