"""docs/gallery.md shows every figure the package draws, and its PNGs are committed at a modest size."""

import importlib.util
import inspect
import re
import struct
import sys
from pathlib import Path

import pytest

from computelimits import _figures
from computelimits.fit import plots as fit_plots
from computelimits.report import empirical
from computelimits.simulate import plots as simulate_plots

DOCS = Path(__file__).resolve().parents[2] / "docs"
MAX_PNG_BYTES = 200 * 1024


@pytest.fixture(scope="module")
def gallery():
    spec = importlib.util.spec_from_file_location("make_gallery", DOCS / "make_gallery.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def _figure_functions():
    """Every public function of the package that draws a figure."""
    names = set()
    for module, pattern in ((fit_plots, r"^plot_"), (simulate_plots, r"_figure$"), (empirical, r"_figure$")):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and re.search(pattern, name) and not name.startswith("_"):
                names.add(f"{module.__name__}.{name}")
    return names


def test_the_gallery_covers_every_figure_function(gallery):
    covered = {entry.function for entry in gallery.GALLERY}
    assert _figure_functions() == covered


def test_the_page_matches_the_script_and_every_png_is_committed(gallery):
    page = (DOCS / "gallery.md").read_text()
    assert page == gallery.markdown(), "docs/gallery.md is stale: run python docs/make_gallery.py"
    shown = set(re.findall(r"\]\(gallery/([^)]+)\)", page))
    on_disk = {p.name for p in (DOCS / "gallery").glob("*.png")}
    assert shown == on_disk == {entry.name for entry in gallery.GALLERY}
    for name in on_disk:
        data = (DOCS / "gallery" / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) <= MAX_PNG_BYTES, name
        width, _ = struct.unpack(">II", data[16:24])
        assert width <= _figures.DPI * _figures.MAX_WIDTH_INCHES, name


def test_no_doc_points_outside_the_repository():
    for path in [*DOCS.glob("*.md"), DOCS.parent / "README.md"]:
        text = path.read_text()
        for bad in ("REFERENCE.md", "DESIGN.md", "../shared", "shared/data", "shared/docs"):
            assert bad not in text, f"{path.name} refers to {bad}, which is not in the repository"
        prose = re.sub(r"`[^`\n]*`", "", re.sub(r"(?s)```.*?```", "", text))  # links, not code
        for target in re.findall(r"\]\(([^)#\s]+)", prose):
            if re.match(r"(?i)^[a-z]+:", target):
                continue  # a web address
            assert (path.parent / target).exists(), f"{path.name} links to {target}, which does not exist"
