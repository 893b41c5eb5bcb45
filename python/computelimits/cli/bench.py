"""``computelimits bench``: run the benchmark suite and compare the C++ core with its twins."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

BACKENDS = ("cpp", "numpy", "scipy", "python", "torch", "statsmodels")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="run bench/ and print C++ versus numpy timings",
        description="Run the pytest-benchmark suite in a checkout's bench/ folder with timing "
        "enabled and print, per benchmark group, the C++ time, each twin's time and the ratio. "
        "Ratios are measured side by side in one run; absolute times depend on the machine.",
    )
    parser.add_argument("--path", default="bench", help="benchmark folder or file (default: ./bench)")
    parser.add_argument("-k", dest="keyword", default=None, help="only benchmarks matching this pytest -k expression")
    parser.add_argument("--rounds", type=int, default=3, help="minimum rounds per benchmark (default 3)")
    parser.add_argument("--json", dest="json_path", default=None, help="also save pytest-benchmark's JSON here")
    parser.set_defaults(handler=run)


def backend_of(name: str) -> str:
    """The backend a benchmark measures, read from its test name or parameter id."""
    lowered = name.lower()
    for backend in BACKENDS:
        if f"[{backend}" in lowered or f"_{backend}" in lowered or f"-{backend}" in lowered:
            return backend
    return "other"


def _variant(fullname: str) -> str:
    """The parameter id without its backend part: test_sgd[numpy-32] -> "32"."""
    if "[" not in fullname:
        return ""
    parts = fullname[fullname.index("[") + 1 :].rstrip("]").split("-")
    return "-".join(part for part in parts if part.lower() not in BACKENDS)


def comparison_rows(benchmarks: List[dict]) -> List[Tuple[str, str, float, float, float]]:
    """(group, twin, C++ median seconds, twin median seconds, twin/C++) per group and twin."""
    by_group: Dict[str, Dict[str, float]] = defaultdict(dict)
    for entry in benchmarks:
        group = entry.get("group") or entry["name"]
        variant = _variant(entry["fullname"])
        if variant:
            group = f"{group} [{variant}]"
        by_group[group][backend_of(entry["fullname"])] = entry["stats"]["median"]
    rows = []
    for group, times in sorted(by_group.items()):
        cpp = times.get("cpp")
        for twin, seconds in sorted(times.items()):
            if twin == "cpp" or cpp is None:
                continue
            rows.append((group, twin, cpp, seconds, seconds / cpp))
    return rows


def run(args) -> int:
    if args.rounds < 1:
        raise ValueError(f"--rounds must be >= 1, got {args.rounds}")
    path = Path(args.path)
    if not path.exists():
        raise FileNotFoundError(
            f"--path {str(path)!r} does not exist; run from a computelimits checkout or pass --path"
        )
    with tempfile.TemporaryDirectory() as scratch:
        json_path = Path(args.json_path or Path(scratch) / "bench.json")
        command = [
            sys.executable,
            "-m",
            "pytest",
            str(path),
            "-q",
            "--benchmark-enable",
            f"--benchmark-min-rounds={args.rounds}",
            f"--benchmark-json={json_path}",
            "-p",
            "no:cacheprovider",
        ]
        if args.keyword:
            command += ["-k", args.keyword]
        completed = subprocess.run(command)
        if completed.returncode != 0 or not json_path.exists():
            print("computelimits bench: the benchmark run failed (see pytest's output above)", file=sys.stderr)
            return completed.returncode or 1
        benchmarks = json.loads(json_path.read_text())["benchmarks"]
    rows = comparison_rows(benchmarks)
    header = f"{'kernel':<44} {'twin':<8} {'C++ (s)':>11} {'twin (s)':>11} {'ratio':>8}"
    print(header)
    print("-" * len(header))
    for group, twin, cpp, other, ratio in rows:
        print(f"{group[:44]:<44} {twin:<8} {cpp:>11.4g} {other:>11.4g} {ratio:>7.1f}x")
    return 0
