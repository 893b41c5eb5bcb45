"""``--scheduler ADDRESS`` / ``--workers N``: run a command's replicates and resamples on Dask.

Shared by ``reproduce``, ``simulate`` and ``fit``. ``--workers N`` starts a LocalCluster of
N single-threaded worker processes listening on the loopback address only, without a
dashboard, and closes it when the command ends; ``--scheduler`` connects to a running
scheduler. Without either the work runs on local threads. Dask is imported only here,
only when one of the flags is given (``pip install 'computelimits[distributed]'``).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any, Iterator, Tuple

from . import _args

#: Seconds to wait for a scheduler given with --scheduler.
CONNECT_TIMEOUT = 30


def add_arguments(parser) -> None:
    group = parser.add_argument_group("where to run (Dask; needs computelimits[distributed])")
    group.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (--threads: threads per task)",
    )
    group.add_argument(
        "--workers",
        type=_args.count("--workers", 1),
        metavar="N",
        default=None,
        help="start a local Dask cluster of N single-threaded worker processes on 127.0.0.1 for this run",
    )


@contextlib.contextmanager
def executor_for(args) -> Iterator[Tuple[Any, str]]:
    """(executor, where it runs in words) for the parsed ``args``; closes what it opened."""
    from .. import runner

    scheduler, workers = getattr(args, "scheduler", None), getattr(args, "workers", None)
    if scheduler is not None and workers is not None:
        raise ValueError(f"give --scheduler or --workers, not both (got --scheduler {scheduler} --workers {workers})")
    if workers is not None and workers < 1:
        raise ValueError(f"--workers must be >= 1, got {workers}")
    if scheduler is None and workers is None:
        yield None, runner.describe(None, getattr(args, "threads", None))
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise ValueError("--scheduler and --workers need Dask: pip install 'computelimits[distributed]'") from error
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as error:
            raise ValueError(f"--scheduler {scheduler!r}: cannot reach a Dask scheduler there ({error})") from error
        with client:
            yield client, runner.describe(client)
        return
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client, runner.describe(client)
