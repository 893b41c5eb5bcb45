"""``computelimits bench`` reads pytest-benchmark output and pairs C++ with its twins."""

import pytest

from computelimits.cli import bench, main


def _entry(fullname, group, median):
    return {"fullname": fullname, "name": fullname.split("::")[-1], "group": group, "stats": {"median": median}}


def test_backend_is_read_from_parameter_ids():
    assert bench.backend_of("bench/test_x.py::test_sweep[cpp]") == "cpp"
    assert bench.backend_of("bench/test_x.py::test_sweep[numpy-1000]") == "numpy"
    assert bench.backend_of("bench/test_x.py::test_bootstrap_scipy") == "scipy"


def test_ratio_is_twin_time_over_cpp_time():
    rows = bench.comparison_rows(
        [
            _entry("b.py::t[cpp]", "sweep", 0.5),
            _entry("b.py::t[numpy]", "sweep", 12.0),
            _entry("b.py::t[scipy]", "sweep", 20.0),
            _entry("b.py::u[numpy]", "lonely", 1.0),
        ]
    )
    assert rows == [("sweep", "numpy", 0.5, 12.0, 24.0), ("sweep", "scipy", 0.5, 20.0, 40.0)]


def test_parameter_variants_stay_apart():
    rows = bench.comparison_rows(
        [
            _entry("b.py::test_sgd[cpp-1]", "sgd", 0.3),
            _entry("b.py::test_sgd[numpy-1]", "sgd", 12.0),
            _entry("b.py::test_sgd[cpp-32]", "sgd", 0.3),
            _entry("b.py::test_sgd[numpy-32]", "sgd", 1.8),
        ]
    )
    assert rows == [("sgd [1]", "numpy", 0.3, 12.0, 40.0), ("sgd [32]", "numpy", 0.3, 1.8, 6.0)]


def test_missing_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["bench", "--path", str(tmp_path / "nowhere")]) == 2
    assert "--path" in capsys.readouterr().err


def test_zero_rounds_is_refused(capsys):
    assert main(["bench", "--rounds", "0"]) == 2
    assert "argument --rounds: --rounds must be >= 1" in capsys.readouterr().err


def test_bench_runs_end_to_end(capsys):
    from pathlib import Path

    bench_file = Path(__file__).resolve().parents[2] / "bench" / "test_bench_common.py"
    if not bench_file.exists():
        pytest.skip("bench/ is not beside the tests")
    assert main(["bench", "--path", str(bench_file), "-k", "uniform", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert "random: 64 x 20000 uniforms" in out and "numpy" in out


def test_bench_runs_outside_a_checkout_from_the_installed_copy(tmp_path):
    import json
    import subprocess
    import sys

    if bench.installed_bench() is None:
        pytest.skip("computelimits is not installed with its benchmarks (computelimits/_bench)")
    assert bench.find_checkout(tmp_path) is None
    completed = subprocess.run(
        [sys.executable, "-m", "computelimits", "bench", "-k", "uniform", "--rounds", "1", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    assert "from the installed package" in completed.stderr
    rows = json.loads(completed.stdout)
    assert [row["twin"] for row in rows] == ["numpy"] and rows[0]["ratio"] > 0
    assert rows[0]["group"].startswith("random: 64 x 20000 uniforms")


def test_a_checkout_uses_its_own_bench_folder():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    if not (root / "bench").is_dir():
        pytest.skip("bench/ is not beside the tests")
    path, origin = bench.bench_folder(None, cwd=root / "docs")
    assert path == root / "bench" and origin == "the checkout"
