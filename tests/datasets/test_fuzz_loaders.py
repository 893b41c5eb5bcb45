"""Fuzzing the loaders: any cell text either parses to a finite number or raises DataFormatError."""

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from computelimits import datasets

CELLS = st.one_of(
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["", " ", "1e400", "-0", "1,234", "1_000", "nan", "inf", "0x10", "1e-3", "2018-10"]),
)


@settings(max_examples=150, deadline=None)
@given(cell=CELLS)
def test_load_csv_numeric_cell_never_silent(cell):
    frame = pd.DataFrame({"model": ["m"], "accuracy": [cell]})
    try:
        out = datasets.load_csv(frame)
    except datasets.DataFormatError as error:
        assert error.line == 2 and error.column == "accuracy"
        return
    value = out["accuracy"].iloc[0]
    assert math.isnan(value) or (math.isfinite(value) and value >= 0)
    if cell.strip() == "":
        assert math.isnan(value)


@settings(max_examples=60, deadline=None)
@given(cell=CELLS, column=st.sampled_from(["Publication date", "Training compute (FLOP)", "Hardware quantity"]))
def test_load_epoch_cell_never_crashes(tmp_path_factory, cell, column):
    header = ["Model", "Publication date", "Training compute (FLOP)", "Hardware quantity", "Training hardware"]
    row = {
        "Model": "m",
        "Publication date": "2020-01-01",
        "Training compute (FLOP)": "1e20",
        "Hardware quantity": "8",
        "Training hardware": "NVIDIA V100",
    }
    row[column] = cell
    path = tmp_path_factory.mktemp("fuzz") / "epoch.csv"
    pd.DataFrame([row], columns=header).to_csv(path, index=False)
    try:
        frame = datasets.load_epoch(path)
    except datasets.DataFormatError as error:
        # A raw line break in the cell splits the record: reported as a field-count error.
        assert str(path) in str(error) and error.line >= 2
        assert error.column == column or "fields" in str(error)
        return
    burden = frame["hardware_burden_flop"].iloc[0]
    assert math.isnan(burden) or (math.isfinite(burden) and burden >= 0)
