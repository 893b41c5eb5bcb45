"""The report document renders the same content to Markdown and HTML."""

from computelimits.report.document import Document, format_flop


def test_markdown_and_html_carry_the_same_table():
    doc = Document("Title", preamble=["Intro & <more>"])
    section = doc.section("Costs")
    section.paragraph("Some | text")
    section.table(["model", "FLOP"], [["a|b", 1.5e23], ["c", 2]], caption="T")
    section.figure("fig.png", "A figure")
    markdown = doc.to_markdown()
    assert "## 1. Costs" in markdown
    assert "| a\\|b | 1.5e+23 |" in markdown
    assert "![A figure](fig.png)" in markdown
    page = doc.to_html()
    assert '<td>a|b</td><td class="num" data-sort="1.5e+23">1.5e+23</td>' in page
    assert "Intro &amp; &lt;more&gt;" in page
    assert '<img src="fig.png"' in page


def test_flop_counts_in_one_column_have_one_precision():
    # Four significant digits on both sides of the switch to e-notation.
    assert [format_flop(v) for v in (980.0, 3180.0, 1.4293e9, 3.1429e23)] == [
        "980",
        "3.180e+03",
        "1.429e+09",
        "3.143e+23",
    ]
