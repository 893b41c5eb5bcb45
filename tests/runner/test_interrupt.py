"""Ctrl-C stops long computations within seconds and leaves no threads behind.

Each case starts a subprocess on a computation that would run for minutes, waits until
the call has begun, sends SIGINT one second later and requires the process to end within
three seconds with KeyboardInterrupt, one thread left, and no traceback from a thread.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX-only")

# A child started from a shell that ignores SIGINT (a background job, some CI runners) inherits
# SIG_IGN and Python then installs no handler: put back the one that raises KeyboardInterrupt.
PREAMBLE = """
import signal, threading, sys
import numpy as np
signal.signal(signal.SIGINT, signal.default_int_handler)
"""

# Each body prints "started" right before the long call (imports can take seconds on a busy machine).
CASES = {
    "paper_experiment": """
from computelimits.simulate import paper_experiment
print("started", flush=True)
paper_experiment(100_000, seed=1, threads=2, progress=False)
""",
    "paper_experiment_thread_pool": """
from concurrent.futures import ThreadPoolExecutor
from computelimits.simulate import paper_experiment
with ThreadPoolExecutor(2) as pool:
    print("started", flush=True)
    paper_experiment(100_000, seed=1, progress=False, executor=pool)
""",
    "gradient_descent": """
from computelimits.simulate import gradient_descent, make_design
design = make_design(2000, 500, seed=1)
print("started", flush=True)
gradient_descent(design.X, design.y, step_size=1e-3, epochs=10**7)
""",
    "sgd": """
from computelimits.simulate import make_design, sgd
design = make_design(2000, 200, seed=1)
print("started", flush=True)
sgd(design.X, design.y, step_size=1e-4, epochs=10**6, seed=1)
""",
    "bootstrap": """
from computelimits.fit import bootstrap_fit, ols
rng = np.random.default_rng(0)
x = rng.uniform(0, 1, 1_000_000)
fit = ols(x, 2 * x + rng.normal(size=x.size))
print("started", flush=True)
bootstrap_fit(fit, 1_000_000, "pairs", "percentile", seed=1, threads=2, progress=False)
""",
}

# 250 points from Hoffmann et al.'s law: one refit takes ~0.1 ms, so 10^6 resamples (or 10^5 starts) run for minutes.
CHINCHILLA = """
from computelimits.fit import scaling_law
rng = np.random.default_rng(0)
params, tokens = np.exp(rng.uniform(18, 23, 250)), np.exp(rng.uniform(20, 27, 250))
loss = (1.69 + 406.4 / params**0.34 + 410.7 / tokens**0.28) * np.exp(rng.normal(0, 0.02, 250))
"""
CASES["scaling_law_bootstrap"] = (
    CHINCHILLA
    + """
grid = {"a": [6.0], "b": [6.0], "e": [0.5], "alpha": [0.34], "beta": [0.28]}
print("started", flush=True)
scaling_law(params, tokens, loss, grid=grid, n_resamples=10**6, seed=1, threads=2, progress=False)
"""
)
CASES["scaling_law_starts"] = (
    CHINCHILLA
    + """
grid = {name: np.linspace(0.1, 2.0, 10) for name in ("a", "b", "e", "alpha", "beta")}
print("started", flush=True)
scaling_law(params, tokens, loss, grid=grid, threads=2, progress=False)
"""
)

WRAPPER = """
try:
{body}
except KeyboardInterrupt:
    print("threads", threading.active_count(), flush=True)
    raise
"""


@pytest.mark.parametrize("case", list(CASES))
def test_sigint_ends_the_computation_within_three_seconds(case):
    source = PREAMBLE + WRAPPER.format(body=textwrap.indent(textwrap.dedent(CASES[case]), "    "))
    process = subprocess.Popen(
        [sys.executable, "-c", source],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "started", (line, process.stderr.read() if process.poll() is not None else "")
        time.sleep(1.0)
        assert process.poll() is None, "the computation ended before the interrupt"
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
        elapsed = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert elapsed < 3.0, f"{case}: {elapsed:.2f} s from SIGINT to exit"
    assert process.returncode in (-signal.SIGINT, 1, 130), (process.returncode, stderr)
    assert stderr.rstrip().endswith("KeyboardInterrupt"), stderr
    assert "Exception in thread" not in stderr and "Exception ignored" not in stderr, stderr
    assert stdout.split() == ["threads", "1"], stdout


DASK_CASE = """
import signal, threading, time
from distributed import Client, LocalCluster
signal.signal(signal.SIGINT, signal.default_int_handler)
from computelimits.simulate import paper_experiment

with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1") as cluster:
    with Client(cluster) as client:
        try:
            print("started", flush=True)
            paper_experiment(10_000, seed=1, progress=False, executor=client)
        except KeyboardInterrupt:
            print("interrupted", time.time(), flush=True)
            deadline = time.monotonic() + 10
            left = client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))
            while left and time.monotonic() < deadline:
                time.sleep(0.05)
                left = client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))
            print("tasks", left, flush=True)
"""


def test_sigint_cancels_the_dask_futures():
    pytest.importorskip("distributed")
    process = subprocess.Popen(
        [sys.executable, "-c", DASK_CASE], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "started", (line, process.stderr.read() if process.poll() is not None else "")
        time.sleep(1.0)
        assert process.poll() is None, "the computation ended before the interrupt"
        sent = time.time()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    words = stdout.split()
    assert words[0] == "interrupted", (stdout, stderr)
    assert float(words[1]) - sent < 3.0, f"{float(words[1]) - sent:.2f} s from SIGINT to KeyboardInterrupt"
    assert words[2:] == ["tasks", "0"], (stdout, stderr)  # every pending block was cancelled on the scheduler
