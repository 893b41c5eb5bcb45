"""report.html's structure: contents that resolve, figures that exist, sortable tables, offline, no nan/inf."""

import json
import re
import struct
from html.parser import HTMLParser

import pytest

from computelimits import _figures
from computelimits.report.document import Document, markdown_anchor
from computelimits.report.html import sort_key

from .checks import bad_tokens


class _Page(HTMLParser):
    """Ids, links, images, scripts and tables of an HTML page."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.images, self.scripts, self.stylesheets = set(), [], [], [], []
        self.tables = []  # [class, [row cell counts], header count, [data-sort values]]
        self.toc_links = []
        self._in_toc = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            assert attrs["id"] not in self.ids, f"duplicate id {attrs['id']}"
            self.ids.add(attrs["id"])
        if tag == "nav" and "toc" in attrs.get("class", ""):
            self._in_toc = True
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
            if self._in_toc:
                self.toc_links.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "link":
            self.stylesheets.append(attrs)
        if tag == "table":
            self.tables.append([attrs.get("class", ""), [], 0, []])
        if tag == "tr" and self.tables:
            self.tables[-1][1].append(0)
        if tag == "th" and self.tables:
            self.tables[-1][2] += 1
        if tag == "td" and self.tables:
            self.tables[-1][1][-1] += 1
            if "data-sort" in attrs:
                self.tables[-1][3].append(attrs["data-sort"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_toc = False


def _parse(path):
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(params=["report", "epoch_report"])
def rendered(request):
    return request.getfixturevalue(request.param)


def test_contents_list_every_section_and_every_anchor_resolves(rendered):
    page = _parse(rendered / "report.html")
    sections = sorted(i for i in page.ids if i.startswith("section-"))
    assert len(sections) == 5
    toc_targets = {href[1:] for href in page.toc_links}
    assert set(sections) <= toc_targets, "a section is missing from the table of contents"
    for href in page.links:
        if href.startswith("#"):
            assert href[1:] in page.ids, f"anchor {href} resolves to nothing"
    # Every figure is listed in the contents too.
    figures = {i for i in page.ids if i.startswith("figure-")}
    assert figures and figures <= toc_targets


def _png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


def test_every_figure_referenced_exists_and_every_figure_is_shown(rendered):
    page = _parse(rendered / "report.html")
    shown = set()
    for image in page.images:
        src = image["src"]
        assert not re.match(r"(?i)^[a-z]+:", src), f"{src} is not a relative path"
        path = rendered / src
        assert path.is_file(), f"{src} does not exist"
        width, _ = _png_size(path)
        # Drawn no wider than the page shows it, so a point of text is DPI/72 pixels on screen.
        assert width <= _figures.DPI * _figures.MAX_WIDTH_INCHES
        assert image.get("alt")
        shown.add(path.resolve())
    written = {p.resolve() for p in (rendered / "figures").glob("*.png")}
    assert written == shown
    markdown = (rendered / "report.md").read_text()
    for path in written:
        assert f"figures/{path.name}" in markdown


def test_tables_are_sortable_well_formed_and_keyed_by_number(rendered):
    page = _parse(rendered / "report.html")
    assert page.tables
    for css_class, rows, header_count, keys in page.tables:
        assert "sortable" in css_class.split()
        body = rows[1:]  # the first <tr> is the header row
        assert body and all(count == header_count for count in body)
        for key in keys:
            float(key)  # every data-sort key reads as a number
    # The sorter is inline: the page needs no network (no external script, stylesheet or image).
    assert page.scripts and all("src" not in script for script in page.scripts)
    assert not page.stylesheets
    html = (rendered / "report.html").read_text()
    assert "function" in html and "table.sortable" in html
    assert not re.search(r"(?i)(src|href)=\"https?:", html)


def test_no_nan_or_inf_tokens_in_any_output(rendered):
    for name in ("report.md", "report.html", "results.json"):
        assert bad_tokens((rendered / name).read_text()) == [], name
    json.loads((rendered / "results.json").read_text())


def test_markdown_contents_link_to_its_headings(report):
    markdown = (report / "report.md").read_text()
    headings = {markdown_anchor(h) for h in re.findall(r"^## (.+)$", markdown, flags=re.M)}
    links = re.findall(r"^\d+\. \[[^\]]+\]\(#([^)]+)\)$", markdown, flags=re.M)
    assert len(links) == 5 and set(links) <= headings


@pytest.mark.parametrize(
    "cell, value",
    [
        ("$1.3M", 1.3e6),
        ("$1,495", 1495.0),
        ("4.2 days", 4.2 * 86400),
        ("20 min", 1200.0),
        ("1 day", 86400.0),
        ("12.5 MWh", 12.5e6),
        ("5.1 t CO2", 5.1e6),
        ("95%", 0.95),
        ("6,342x", 6342.0),
        ("-0.0792", -0.0792),
        ("4.783e+17", 4.783e17),
        ("10^28.10", 10**28.1),
        ("[0.29, 0.83]", 0.29),
        ("[10^25.95, 10^34.31]", 10**25.95),
        ("3.42 [2.69, 3.89]", 3.42),
    ],
)
def test_sort_keys_read_the_number_a_cell_stands_for(cell, value):
    assert float(sort_key(cell)) == pytest.approx(value, rel=1e-6)


@pytest.mark.parametrize("cell", ["undetermined: the slope is not significant", "n/a", "-", "2 x GTX 580", ">= 4"])
def test_words_have_no_sort_key(cell):
    assert sort_key(cell) is None


def test_a_huge_power_of_ten_keys_without_overflow():
    assert sort_key("10^400.5") == "3.162278e400"


def test_table_cells_are_escaped_and_keyed():
    doc = Document("T")
    doc.section("S").table(["a", "b"], [["<x>", "$2.5k"]], caption="C")
    page = doc.to_html()
    assert "<td>&lt;x&gt;</td>" in page and 'data-sort="2500.0"' in page
    assert '<nav class="toc"' in page and 'href="#table-1"' in page and 'id="table-1"' in page
