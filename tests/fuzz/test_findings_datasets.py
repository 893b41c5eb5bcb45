"""Regression tests for the contract violations the fuzz tests found in datasets (one test per finding, its reproducer)."""

import csv
import io

import pandas as pd
import pytest

from computelimits import datasets


def test_loaders_report_bad_encoding_and_empty_headers_as_format_errors(tmp_path):
    # bytes that are not UTF-8 raised a bare UnicodeDecodeError; a blank first line an IndexError
    for content, fragment in [(b"\x80abc\n1,2\n", "not UTF-8 text"), (b"\n\x00", "header line names no column")]:
        path = tmp_path / "data.csv"
        path.write_bytes(content)
        for loader in (datasets.load_epoch, datasets.load_computerprogress, datasets.load_csv):
            with pytest.raises(datasets.DataFormatError, match=fragment) as info:
                loader(path)
            assert info.value.path == str(path)


def test_loaders_refuse_unit_conversions_that_overflow(tmp_path):
    # 1e306 hours x 3600 and 1e300 GFLOP x 1e9 were stored as inf
    epoch = tmp_path / "epoch.csv"
    epoch.write_text("Model,Publication date,Training time (hours)\nm,2020-01-01,1e306\n", encoding="utf-8")
    with pytest.raises(datasets.DataFormatError, match=r"Training time \(hours\).*overflows float64"):
        datasets.load_epoch(epoch)
    progress = tmp_path / "progress.csv"
    progress.write_text(
        "benchmark,year,model,hardware_burden_gflop,accuracy\nimagenet,2019,m,1e300,0.8\n", encoding="utf-8"
    )
    with pytest.raises(datasets.DataFormatError, match=r"hardware_burden_gflop.*overflows float64"):
        datasets.load_computerprogress(progress)
    frame = pd.DataFrame({"Compute": ["1e300"]})
    with pytest.raises(datasets.DataFormatError, match="overflows float64"):
        datasets.load_csv(frame, {"Compute": "hardware_burden_flop"}, scale={"hardware_burden_flop": 1e9})


@pytest.mark.parametrize(
    "arguments, error, fragment",
    [
        ({"columns": 5}, TypeError, "columns must be a mapping"),
        (
            {"scale": {"hardware_burden_flop": float("nan")}},
            ValueError,
            r"scale\['hardware_burden_flop'\] must be finite",
        ),
        ({"scale": {"hardware_burden_flop": "1e9"}}, TypeError, r"scale\['hardware_burden_flop'\] must be a real"),
        ({"benchmark": float("inf")}, TypeError, "benchmark must be a benchmark name"),
        ({"benchmark": [1]}, TypeError, "benchmark must be a benchmark name"),
    ],
)
def test_load_csv_checks_its_arguments(arguments, error, fragment):
    # columns=5 raised "'int' object is not iterable"; a NaN scale or an inf benchmark filled the frame
    with pytest.raises(error, match=fragment):
        datasets.load_csv(pd.DataFrame({"Acc": ["0.5"]}), **arguments)


@pytest.mark.parametrize("label", [b"V100", [1], 1j])
def test_match_processor_names_text(label):
    # "a bytes-like object is required", "unhashable type: 'list'", "'complex' object has no attribute 'strip'"
    with pytest.raises(TypeError, match="text must be a hardware label"):
        datasets.match_processor(label)


def test_parse_papers_refuses_derived_figures_that_overflow():
    # a forward_macs of 1e300 made network_computation_flop inf
    rows = list(csv.reader(datasets._papers._read_text().splitlines()))
    column = rows[0].index("forward_macs")
    line = next(i for i, row in enumerate(rows[1:], 1) if row[column] and row[rows[0].index("epochs")])
    rows[line][column] = "1e300"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    with pytest.raises(datasets.DataFormatError, match="overflows float64"):
        datasets.parse_papers(buffer.getvalue())


def test_parse_papers_names_a_training_time_too_large_for_seconds():
    # training_hours = 1e306 made hours x 3600 = inf and hardware_burden's "seconds must be finite"
    rows = list(csv.reader(datasets._papers._read_text().splitlines()))
    hours, hardware = rows[0].index("training_hours"), rows[0].index("hardware")
    line = next(i for i, row in enumerate(rows[1:], 1) if row[hours] and row[hardware])
    rows[line][hours] = "1e306"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    with pytest.raises(datasets.DataFormatError, match="training_hours"):
        datasets.parse_papers(buffer.getvalue())
