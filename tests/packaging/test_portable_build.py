"""The default build is portable: no -march=native, one core per instruction-set level, the best one loaded.

Three independent reads: the flags compiled into the loaded core (``_core.build_info()``),
a fresh CMake configure of this checkout with no options (its cache and compile
commands), and the CPU's own feature list (``/proc/cpuinfo``) against ``_cpu.levels()``.
"""

import json
import os
import platform
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from computelimits import _core, _cpu

ROOT = Path(__file__).resolve().parents[2]
V3_FLAGS = {"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "sse4_2", "ssse3", "popcnt", "cx16"}
V4_FLAGS = V3_FLAGS | {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}


def test_loaded_core_was_not_built_for_this_machine_only():
    info = _core.build_info()
    if info["native"]:
        pytest.skip("this checkout was built with COMPUTELIMITS_NATIVE=ON (asked for; not the default)")
    assert "-march=native" not in info["cxx_flags"] and "-mtune=native" not in info["cxx_flags"]
    assert info["level"] in ("baseline", "x86-64-v3", "x86-64-v4")
    assert info["level"] in info["cpu_levels"]  # it runs here
    if info["level"] != "baseline":
        assert f"-march={info['level']}" in info["cxx_flags"] or "/arch:" in info["cxx_flags"]
    # The best level built that this CPU runs is the one loaded.
    built = [lvl for lvl in ("x86-64-v4", "x86-64-v3") if _built(lvl)]
    best = next((lvl for lvl in built if lvl in info["cpu_levels"]), "baseline")
    assert info["level"] == best


def _built(level):
    from importlib.util import find_spec

    return find_spec("computelimits._core_" + level.replace("-", "_")) is not None


@pytest.mark.skipif(not Path("/proc/cpuinfo").exists(), reason="needs /proc/cpuinfo (Linux)")
def test_cpu_levels_agree_with_the_kernels_cpu_flags():
    if platform.machine() not in ("x86_64", "AMD64"):
        assert _cpu.levels() == ["baseline"]
        return
    flags = set()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            break
    levels = _cpu.levels()
    assert levels[0] == "baseline"
    assert ("x86-64-v3" in levels) == V3_FLAGS.issubset(flags)
    assert ("x86-64-v4" in levels) == V4_FLAGS.issubset(flags)
    assert ("sse4.2" in _cpu.features()) == ("sse4_2" in flags)


def test_default_configure_has_no_march_native(tmp_path):
    """Configure this checkout as a default build would (no options) and read the flags back."""
    cmake = shutil.which("cmake")
    if cmake is None or not (ROOT / "CMakeLists.txt").exists():
        pytest.skip("needs cmake and the source tree")
    pybind11 = pytest.importorskip("pybind11")
    build = tmp_path / "build"
    command = [
        cmake,
        "-S",
        str(ROOT),
        "-B",
        str(build),
        "-DCMAKE_BUILD_TYPE=Release",
        "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
        f"-Dpybind11_DIR={pybind11.get_cmake_dir()}",
        f"-DPython_EXECUTABLE={sys.executable}",
    ]
    if shutil.which("ninja"):
        command += ["-G", "Ninja"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0 and "Eigen3" in done.stdout + done.stderr:
        pytest.skip("Eigen is not installed (pip install cmeel-eigen)")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    cache = (build / "CMakeCache.txt").read_text()
    assert "COMPUTELIMITS_NATIVE:BOOL=OFF" in cache
    commands = json.loads((build / "compile_commands.json").read_text())
    assert commands and not [c["file"] for c in commands if "-march=native" in c["command"]]
    if platform.machine() in ("x86_64", "AMD64"):
        flags_by_level = {
            level: [c for c in commands if f"_core_{level.replace('-', '_')}.dir" in c.get("output", c["command"])]
            for level in ("baseline", "x86-64-v3", "x86-64-v4")
        }
        for level, level_commands in flags_by_level.items():
            assert level_commands, level
            for c in level_commands:
                assert ("-march=" in c["command"]) == (level != "baseline"), c["file"]
                if level != "baseline":
                    assert f"-march={level}" in c["command"]


SCRIPT = textwrap.dedent(
    """
    import json, numpy as np
    from computelimits import _core
    from computelimits.fit import bootstrap_ols
    from computelimits.simulate import sgd_scaling, paper_experiment
    rng = np.random.default_rng(0)
    x = rng.uniform(15, 22, 400); y = 0.8 - 0.07 * x + rng.normal(scale=0.1, size=400)
    ci = bootstrap_ols(x, y, 400, method="bca", seed=1, progress=False).confidence_interval
    sgd = sgd_scaling(sizes=(100,), p=20, epochs=3, reps=2, batch_size=4, seed=2, progress=False)
    paper = paper_experiment(reps=2, seed=1, p=60, sizes=[20, 40, 80, 120], progress=False)
    print(json.dumps(dict(level=_core.build_info()["level"], low=list(map(float, ci.low)),
                          high=list(map(float, ci.high)), sgd=sgd.excess.ravel().tolist(),
                          paper=paper.performance.ravel().tolist())))
    """
)


def _run_at(level):
    env = dict(os.environ, COMPUTELIMITS_ISA=level)
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_every_level_this_cpu_runs_gives_the_same_answers():
    levels = [lvl for lvl in ("baseline", "x86-64-v3", "x86-64-v4") if _built(lvl) and lvl in _cpu.levels()]
    if len(levels) < 2:
        pytest.skip(f"only {levels} built and runnable here")
    results = {level: _run_at(level) for level in levels}
    reference = results["baseline"]
    for level, result in results.items():
        assert result["level"] == level
        for key in ("low", "high", "sgd", "paper"):
            # Same streams and formulas; FMA contraction and vector widths change the last bits only.
            assert result[key] == pytest.approx(reference[key], rel=1e-9, abs=1e-12), (level, key)


def test_forcing_a_level_that_cannot_load_fails_clearly():
    for value, message in (("pentium", "is not a level"), ("native", "was not built")):
        if value == "native" and _built("native"):
            continue
        env = dict(os.environ, COMPUTELIMITS_ISA=value)
        done = subprocess.run(
            [sys.executable, "-c", "import computelimits._core"], capture_output=True, text=True, env=env
        )
        assert done.returncode != 0 and message in done.stderr
