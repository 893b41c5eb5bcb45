"""The top-level package: lazy submodules (PEP 562), a cheap import, one version."""

import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest

import computelimits
from computelimits.cli import main

ROOT = Path(__file__).resolve().parents[2]
AREAS = ("datasets", "exceptions", "fit", "flops", "hardware", "report", "runner", "simulate", "status")


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout


def test_import_is_cheap():
    loaded = _run(
        "import sys; import computelimits; "
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('numpy', 'pandas', 'scipy', 'matplotlib', 'computelimits'))))"
    ).split()
    assert loaded == ["computelimits"]


def test_importtime_lists_no_heavy_module():
    # -X importtime writes one line per module imported; none of the heavy ones may appear.
    report = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import computelimits"], check=True, capture_output=True, text=True
    ).stderr
    modules = {line.rsplit("|", 1)[-1].strip() for line in report.splitlines() if line.startswith("import time:")}
    assert "computelimits" in modules
    assert not {"pandas", "matplotlib", "scipy", "scipy.optimize", "numpy"} & modules


@pytest.mark.parametrize("area", AREAS)
def test_submodules_load_on_attribute_access(area):
    out = _run(
        f"import sys, computelimits as cl; before = 'computelimits.{area}' in sys.modules; "
        f"module = cl.{area}; print(before, module.__name__, 'computelimits.{area}' in sys.modules)"
    )
    assert out.split() == ["False", f"computelimits.{area}", "True"]


def test_hardware_attribute_does_not_pull_pandas_or_matplotlib():
    out = _run(
        "import sys, computelimits as cl; cl.hardware; print('pandas' in sys.modules, 'matplotlib' in sys.modules)"
    )
    assert out.split() == ["False", "False"]


def test_dir_lists_the_areas_and_unknown_names_raise():
    assert set(AREAS) <= set(dir(computelimits))
    assert set(computelimits.__all__) == {"__version__", *AREAS}
    with pytest.raises(AttributeError, match="module 'computelimits' has no attribute 'nope'"):
        computelimits.nope  # noqa: B018


def test_version_is_written_once_and_agrees_everywhere(capsys):
    assert re.fullmatch(r"\d+\.\d+\.\d+(\S*)", computelimits.__version__)
    assert importlib.metadata.version("computelimits") == computelimits.__version__
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"computelimits {computelimits.__version__}"
    installed = subprocess.run(
        [sys.executable, "-m", "computelimits", "--version"], check=True, capture_output=True, text=True
    ).stdout
    assert installed.strip() == f"computelimits {computelimits.__version__}"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^dynamic = \["version"\]', pyproject, re.MULTILINE)
    assert not re.search(r"^version\s*=", pyproject, re.MULTILINE)
    written = [
        path.relative_to(ROOT)
        for path in (ROOT / "python" / "computelimits").rglob("*.py")
        if re.search(r"^__version__\s*=", path.read_text(), re.MULTILINE)
    ]
    assert written == [Path("python/computelimits/__init__.py")]
