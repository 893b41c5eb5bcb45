"""Fuzz the datasets area: paper_results, parse_papers, load_csv, load_epoch, load_computerprogress, match_processor.

A loader either returns a frame whose numbers are finite (a blank cell is NaN, as documented) or
raises a DataFormatError naming the file, line and column; bad arguments raise ValueError/TypeError
naming the argument. Never an inf, a crash, or an error that does not say where.
"""

import csv
import io
import math
import os

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from computelimits import datasets

from ._contract import ERRORS, Faults, attempt, examples, odd_scalars

number_texts = st.one_of(
    st.floats(0, 1e6).map(repr),
    st.integers(0, 10**6).map(str),
    st.sampled_from(
        ["", " ", "1e300", "1e306", "1.7e308", "1e400", "-1", "nan", "inf", "1,234", "abc", "0x10", "5e-324"]
    ),
)
text_cells = st.one_of(st.text(max_size=10), st.sampled_from(["V100", "NVIDIA Tesla V100", "TPU v3, V100", ""]))
dates = st.sampled_from(["2020-01-01", "2019-06", "2018", "", "yesterday", "2020-13-45", "1e300"])


def _frame_is_clean(frame: pd.DataFrame) -> None:
    numbers = frame.select_dtypes("number").to_numpy(dtype=float)
    assert not np.isinf(numbers).any(), frame.select_dtypes("number").max()


def _write(tmp_path_factory, header, rows, name="data.csv"):
    path = tmp_path_factory.mktemp("fuzz") / name
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _check_loader(function, path, *args, **kwargs):
    """A loader's contract: a clean frame, or a DataFormatError that names the file (its line, column)."""
    where = str(path) if isinstance(path, (str, os.PathLike)) else "<DataFrame>"
    names = [where, "path", "path_or_frame", "columns", "scale", "benchmark"]
    # a missing file is Python's FileNotFoundError, which names it
    outcome = attempt(function, names, path, *args, errors=(*ERRORS, FileNotFoundError), **kwargs)
    if isinstance(outcome.error, datasets.DataFormatError):
        assert outcome.error.path == str(path) or outcome.error.path == "<DataFrame>"
        assert outcome.error.line >= 1
    if outcome.error is None:
        _frame_is_clean(outcome.result)
    return outcome


@examples(0.5)
@given(
    benchmark=st.one_of(st.none(), st.sampled_from(datasets.BENCHMARKS), st.text(max_size=6), odd_scalars),
    metric=st.one_of(st.sampled_from(["primary", "all", None, "top1", "top5", "bleu", "box_ap", "f1"]), odd_scalars),
)
def test_paper_results(benchmark, metric):
    outcome = attempt(datasets.paper_results, ["benchmark", "metric"], benchmark, metric)
    if outcome.error is None:
        frame = outcome.result
        _frame_is_clean(frame)
        assert ((frame["error"] > 0) & (frame["error"] < 1)).all()


EPOCH_HEADER = [
    "Model",
    "Publication date",
    "Training compute (FLOP)",
    "Training time (hours)",
    "Hardware quantity",
    "Training hardware",
    "Parameters",
    "Epochs",
]


@examples(1.0)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["m", "GPT", "BERT", "T5", ""]),
            dates,
            number_texts,
            number_texts,
            number_texts,
            text_cells,
            number_texts,
            number_texts,
        ),
        max_size=4,
    )
)
def test_load_epoch(tmp_path_factory, rows):
    path = _write(tmp_path_factory, EPOCH_HEADER, rows)
    outcome = _check_loader(datasets.load_epoch, path)
    if outcome.error is None:
        assert len(outcome.result) == sum(1 for row in rows if any(cell.strip() for cell in row))


@examples(1.0)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["imagenet", "squad1_1", "wmt2014_en_fr", "", "made-up"]),
            st.sampled_from(["2019", "2012", "2016", "1949", "2020.5", "", "1e300"]),
            text_cells,
            number_texts,
            st.one_of(number_texts, st.sampled_from(["0.75", "1.5", "0.999"])),
        ),
        max_size=4,
    )
)
def test_load_computerprogress(tmp_path_factory, rows):
    header = ["benchmark", "year", "model", "hardware_burden_gflop", "accuracy"]
    path = _write(tmp_path_factory, header, rows)
    _check_loader(datasets.load_computerprogress, path)


@examples(1.0)
@given(data=st.data(), n=st.integers(0, 4))
def test_load_csv(data, n):
    f = Faults(data, ["path_or_frame", "columns", "scale", "benchmark"])
    source = {
        "Model": [data.draw(text_cells) for _ in range(n)],
        "Acc": [data.draw(number_texts) for _ in range(n)],
        "Compute": [data.draw(number_texts) for _ in range(n)],
    }
    frame = f.draw("path_or_frame", st.just(pd.DataFrame(source)), odd_scalars)
    columns = f.draw(
        "columns",
        st.sampled_from([None, {"Model": "model", "Acc": "accuracy", "Compute": "hardware_burden_flop"}]),
        st.sampled_from([{"Acc": "accuracy_pct"}, {"Missing": "model"}, {"Acc": "value", "Compute": "value"}, 5]),
    )
    scale = f.draw(
        "scale",
        st.one_of(st.none(), st.fixed_dictionaries({"hardware_burden_flop": st.sampled_from([1.0, 1e9, 1e-3])})),
        st.fixed_dictionaries(
            {"hardware_burden_flop": st.sampled_from([float("nan"), float("inf"), -1.0, 1e300, "1e9", None])}
        ),
    )
    benchmark = f.draw("benchmark", st.one_of(st.none(), st.sampled_from(datasets.BENCHMARKS)), odd_scalars)
    _check_loader(datasets.load_csv, frame, columns, scale=scale, benchmark=benchmark)


@examples(1.0)
@given(data=st.data())
def test_parse_papers_with_one_cell_changed(data):
    lines = datasets._papers._read_text().splitlines()
    rows = list(csv.reader(lines))
    line = data.draw(st.integers(1, len(rows) - 1), "line")
    column = data.draw(st.integers(0, len(rows[0]) - 1), "column")
    rows[line][column] = data.draw(st.one_of(number_texts, text_cells), "cell")
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    outcome = attempt(datasets.parse_papers, ["papers.csv"], buffer.getvalue())
    if outcome.error is None:
        for entry in outcome.result:
            for key, value in entry.items():
                assert not (isinstance(value, float) and math.isinf(value)), (key, value)


@examples(0.5)
@given(label=st.one_of(text_cells, st.text(max_size=40), odd_scalars))
def test_match_processor(label):
    outcome = attempt(datasets.match_processor, ["text"], label)
    if outcome.error is None:
        assert isinstance(outcome.result, str)


@examples(0.5)
@given(content=st.binary(max_size=64), loader=st.sampled_from(["load_epoch", "load_computerprogress", "load_csv"]))
def test_loaders_on_arbitrary_bytes(tmp_path_factory, content, loader):
    path = tmp_path_factory.mktemp("bytes") / "data.csv"
    path.write_bytes(content)
    _check_loader(getattr(datasets, loader), path)
