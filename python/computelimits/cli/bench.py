"""``computelimits bench``: run the benchmark suite and compare the C++ core with its twins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from . import _args

BACKENDS = ("cpp", "numpy", "scipy", "python", "torch", "statsmodels")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="run the benchmarks and print C++ versus twin timings",
        description="Run the pytest-benchmark suite with timing enabled and print, per benchmark group, "
        "the C++ time, each twin's time and the ratio. The suite is the checkout's bench/ folder when run "
        "from a computelimits checkout, else the copy installed with the package (computelimits/_bench). "
        "Ratios are measured side by side in one run; absolute times depend on the machine.",
    )
    parser.add_argument(
        "--path",
        type=Path,
        default=None,
        help="benchmark folder or file (default: the checkout's bench/, else the installed copy)",
    )
    parser.add_argument("-k", dest="keyword", default=None, help="only benchmarks matching this pytest -k expression")
    parser.add_argument(
        "--rounds", type=_args.count("--rounds", 1), default=3, help="minimum rounds per benchmark (default 3)"
    )
    parser.add_argument("--save", type=Path, default=None, metavar="FILE", help="also save pytest-benchmark's JSON")
    parser.add_argument("--json", action="store_true", help="print the comparison rows as JSON for machines")
    parser.set_defaults(handler=run)


def find_checkout(start: Path) -> Optional[Path]:
    """The computelimits checkout holding ``start`` (a folder with pyproject.toml naming the project
    and a bench/ folder), or None."""
    for folder in (start, *start.parents):
        project = folder / "pyproject.toml"
        if project.is_file() and (folder / "bench").is_dir():
            text = project.read_text(encoding="utf-8", errors="replace")
            if 'name = "computelimits"' in text:
                return folder
    return None


def installed_bench() -> Optional[Path]:
    """The benchmarks installed with the package (``computelimits/_bench``), or None."""
    import computelimits

    for base in computelimits.__path__:
        folder = Path(base) / "_bench"
        if folder.is_dir() and any(folder.glob("test_bench_*.py")):
            return folder
    return None


def bench_folder(path: Optional[Path], cwd: Optional[Path] = None) -> Tuple[Path, str]:
    """(folder or file to run, where it comes from): ``path`` if given, else the checkout's bench/
    when ``cwd`` lies in a checkout, else the installed copy."""
    if path is not None:
        if not path.exists():
            raise FileNotFoundError(f"--path {str(path)!r} does not exist")
        return path, "--path"
    checkout = find_checkout((cwd or Path.cwd()).resolve())
    if checkout is not None:
        return checkout / "bench", "the checkout"
    installed = installed_bench()
    if installed is None:
        raise FileNotFoundError(
            "no benchmarks found: not in a computelimits checkout and the installed package has no "
            "computelimits/_bench (reinstall it, or pass --path)"
        )
    return installed, "the installed package"


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
    path, origin = bench_folder(args.path)
    print(f"benchmarks: {path} (from {origin})", file=sys.stderr if args.json else sys.stdout, flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        json_path = Path(args.save or Path(scratch) / "bench.json")
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
        environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")  # nothing written into site-packages
        # With --json, pytest's own output goes to stderr so that stdout holds the JSON alone.
        completed = subprocess.run(command, env=environment, capture_output=args.json, text=True)
        if args.json:
            sys.stderr.write(completed.stdout + completed.stderr)
        if completed.returncode != 0 or not json_path.exists():
            print("computelimits bench: the benchmark run failed (see pytest's output above)", file=sys.stderr)
            return completed.returncode or 1
        benchmarks = json.loads(json_path.read_text())["benchmarks"]
    rows = comparison_rows(benchmarks)
    if args.json:
        keys = ("group", "twin", "cpp_seconds", "twin_seconds", "ratio")
        print(json.dumps([dict(zip(keys, row)) for row in rows], indent=2))
        return 0
    header = f"{'kernel':<44} {'twin':<8} {'C++ (s)':>11} {'twin (s)':>11} {'ratio':>8}"
    print(header)
    print("-" * len(header))
    for group, twin, cpp, other, ratio in rows:
        print(f"{group[:44]:<44} {twin:<8} {cpp:>11.4g} {other:>11.4g} {ratio:>7.1f}x")
    return 0
