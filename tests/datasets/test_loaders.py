"""Loaders: Epoch AI and Computer Progress formats, generic CSV mapping, cached fetching."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from computelimits import datasets

EPOCH_HEADER = (
    "Model,Domain,Publication date,Parameters,Training compute (FLOP),"
    "Training dataset size (datapoints),Training time (hours),Training hardware,"
    "Hardware quantity,Epochs,Confidence\n"
)


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_epoch_format_quirks(tmp_path):
    text = EPOCH_HEADER + (
        "AlexNet,Vision,2012-09-30,60000000.0,4.7e+17,1200000.0,132.0,NVIDIA GeForce GTX 580,2.0,90.0,Confident\n"
        '"Multi\nline model",Language,2019,"1,500,000,000",,,,,,,Unknown\n'
        "BERT-Large,Language,2018-10,340000000.0,2.85E+20,3.3e9,96.0,Google TPU v2,64.0,40.0,Likely\n"
        'Mixed,Language,2024-01-02,,,,10,"NVIDIA A100,NVIDIA H100 SXM5 80GB",8,,Likely\n'
    )
    frame = datasets.load_epoch(_write(tmp_path, "epoch.csv", text))
    assert len(frame) == 4
    alexnet, multi, bert, mixed = (frame.iloc[i] for i in range(4))
    assert alexnet["publication_date"] == pd.Timestamp("2012-09-30") and alexnet["year"] == 2012
    assert alexnet["training_compute_flop"] == 4.7e17 and alexnet["hardware"] == "GTX-580"
    assert alexnet["training_seconds"] == 132 * 3600
    assert alexnet["hardware_burden_flop"] == pytest.approx(2 * 512 * 1.544e9 * 2 * 132 * 3600)
    assert multi["model"] == "Multi\nline model" and multi["parameters"] == 1.5e9
    assert multi["publication_date"] == pd.Timestamp("2019-01-01")
    assert math.isnan(multi["training_compute_flop"]) and math.isnan(multi["hardware_burden_flop"])
    assert bert["training_compute_flop"] == 2.85e20 and bert["publication_date"] == pd.Timestamp("2018-10-01")
    assert bert["hardware_burden_flop"] == pytest.approx(64 * 45e12 * 96 * 3600)
    assert mixed["hardware"] == "" and math.isnan(mixed["hardware_burden_flop"])


@pytest.mark.parametrize(
    "row, line, column",
    [
        ("X,Vision,2012-09-30,6e7,abc,,,,,,Confident\n", 3, "Training compute (FLOP)"),
        ("X,Vision,30/09/2012,6e7,,,,,,,Confident\n", 3, "Publication date"),
        ("X,Vision,2012-09-30,-5,,,,,,,Confident\n", 3, "Parameters"),
        ("X,Vision,2012-09-30,6e7,inf,,,,,,Confident\n", 3, "Training compute (FLOP)"),
        ("X,Vision,2012-09-30,6e7\n", 3, "Training compute (FLOP)"),
        (",Vision,2012-09-30,6e7,,,,,,,Confident\n", 3, "Model"),
        ("X,Vision,2012-09-30,6e7,,,1e300,NVIDIA V100,1e300,,Confident\n", 3, "Hardware quantity"),
    ],
)
def test_epoch_malformed_names_file_line_column(tmp_path, row, line, column):
    good = "A,Vision,2012-09-30,6e7,1e18,,,,,,Confident\n"
    path = _write(tmp_path, "bad_epoch.csv", EPOCH_HEADER + good + row)
    with pytest.raises(datasets.DataFormatError) as info:
        datasets.load_epoch(path)
    assert info.value.line == line and info.value.column == column
    assert str(path) in str(info.value) and f"line {line}" in str(info.value)


def test_epoch_missing_column_and_empty_file(tmp_path):
    with pytest.raises(datasets.DataFormatError, match="Publication date"):
        datasets.load_epoch(_write(tmp_path, "a.csv", "Model,Domain\nX,Vision\n"))
    with pytest.raises(datasets.DataFormatError, match="empty"):
        datasets.load_epoch(_write(tmp_path, "b.csv", ""))


def test_epoch_real_table(shared_data):
    frame = datasets.load_epoch(shared_data / "epoch" / "all_ml_systems.csv")
    # Facts stated with this snapshot of Epoch AI's table: 1,892 models, 988 with training compute.
    assert len(frame) == 1892
    assert frame["training_compute_flop"].notna().sum() == 988
    assert frame["publication_date"].notna().all()
    assert (frame["hardware"] != "").sum() > 500
    gpt3 = frame[frame["model"] == "GPT-3 175B (davinci)"]
    assert len(gpt3) == 1  # Brown et al. 2020, Table D.1: 3.14e23 FLOP
    assert gpt3.iloc[0]["training_compute_flop"] == pytest.approx(3.14e23, rel=0.01)


def test_match_processor_on_epoch_labels():
    assert datasets.match_processor("NVIDIA Tesla V100 DGXS 32 GB") == "V100-SXM2-32GB"
    assert datasets.match_processor("NVIDIA Tesla K40s") == "K40"
    assert datasets.match_processor("NVIDIA A100 SXM4 80 GB") == "A100-SXM4-80GB"
    assert datasets.match_processor("NVIDIA H100 SXM5 80GB") == "H100-SXM"
    assert datasets.match_processor("NVIDIA GeForce GTX TITAN X") == "Titan-X-Maxwell"
    assert datasets.match_processor("Google TPU v3") == "TPU-v3"
    assert datasets.match_processor("NVIDIA A100,NVIDIA H100 SXM5 80GB") == ""
    assert datasets.match_processor("Cerebras CS-2") == ""


def test_computerprogress_real_table_reproduces_published_fit(shared_data):
    frame = datasets.load_computerprogress(shared_data / "computerprogress" / "regression_subset_2021.csv")
    assert len(frame) == 101 and set(frame["benchmark"]) == set(datasets.BENCHMARKS)
    assert (frame["error"] == 1 - frame["accuracy"]).all()
    assert not frame["model"].str.contains(r"\\n|\t|\n").any()
    # README fact: OLS of log10(error) on log10(burden) has R^2 from 0.29 (mscoco)
    # to 0.68 (squad1_1), and ~0.00 for wmt2014_en_de. GFLOP->FLOP shifts x only.
    r2 = {}
    for benchmark, group in frame.groupby("benchmark"):
        x, y = np.log10(group["hardware_burden_flop"]), np.log10(group["error"])
        r2[benchmark] = np.corrcoef(x, y)[0, 1] ** 2
    assert r2["mscoco"] == pytest.approx(0.29, abs=0.01)
    assert r2["squad1_1"] == pytest.approx(0.68, abs=0.01)
    assert r2["wmt2014_en_de"] < 0.01
    assert min(r2.values()) == r2["wmt2014_en_de"] and max(r2.values()) == r2["squad1_1"]


def test_computerprogress_units_and_errors(tmp_path):
    header = "benchmark,index,year,model,hardware_burden_gflop,accuracy\n"
    path = _write(tmp_path, "cp.csv", header + 'imagenet,1,2015.0,"A\\nB",2.5,0.75\n')
    row = datasets.load_computerprogress(path).iloc[0]
    assert row["hardware_burden_flop"] == 2.5e9 and row["error"] == pytest.approx(0.25)
    assert row["model"] == "A B" and row["year"] == 2015 and row["metric"] == "top1"
    bad = _write(tmp_path, "cp_bad.csv", header + "imagenet,1,2015,A,2.5,0.75\nimagenet,2,2016,B,2.5,75\n")
    with pytest.raises(datasets.DataFormatError, match=r"cp_bad.csv, line 3, column 'accuracy'"):
        datasets.load_computerprogress(bad)
    bad = _write(tmp_path, "cp_bad2.csv", header + "imagenet,1,2015,A,lots,0.75\n")
    with pytest.raises(datasets.DataFormatError, match=r"line 2, column 'hardware_burden_gflop'"):
        datasets.load_computerprogress(bad)


def test_load_csv_maps_columns_from_file_and_frame(tmp_path):
    source = pd.DataFrame({"Name": ["a", "b"], "Acc": [0.9, 0.8], "GFLOP": [1.0, 2.0], "Bench": ["imagenet"] * 2})
    mapping = {"Name": "model", "Acc": "accuracy", "GFLOP": "hardware_burden_flop", "Bench": "benchmark"}
    from_frame = datasets.load_csv(source, columns=mapping, scale={"hardware_burden_flop": 1e9})
    path = tmp_path / "any.csv"
    source.to_csv(path, index=False)
    from_file = datasets.load_csv(path, columns=mapping, scale={"hardware_burden_flop": 1e9})
    for frame in (from_frame, from_file):
        assert list(frame["model"]) == ["a", "b"]
        assert list(frame["hardware_burden_flop"]) == [1e9, 2e9]
        assert frame["error"].tolist() == pytest.approx([0.1, 0.2])
    by_value = datasets.load_csv(pd.DataFrame({"model": ["x"], "value": [41.8]}), benchmark="wmt2014_en_fr")
    assert by_value["error"].iloc[0] == pytest.approx(0.582) and by_value["benchmark"].iloc[0] == "wmt2014_en_fr"
    with pytest.raises(ValueError, match="flops"):
        datasets.load_csv(source, columns={"GFLOP": "flops"})
    with pytest.raises(datasets.DataFormatError, match="Missing"):
        datasets.load_csv(source, columns={"Missing": "model"})
    bad = pd.DataFrame({"model": ["x", "y"], "accuracy": ["0.5", "half"]})
    with pytest.raises(datasets.DataFormatError, match=r"<DataFrame>, line 3, column 'accuracy'"):
        datasets.load_csv(bad)
    with pytest.raises(TypeError, match="path_or_frame"):
        datasets.load_csv(42)


def test_fetch_uses_file_url_then_cache_offline(tmp_path, shared_data):
    source = shared_data / "computerprogress" / "regression_subset_2021.csv"
    cache = tmp_path / "cache"
    first = datasets.fetch_computerprogress(cache_dir=cache, url=source.as_uri())
    assert len(first) == 101 and (cache / "computerprogress.csv").is_file()
    # Offline (unreachable URL): the cached copy is reused, with a warning when a refresh was asked.
    again = datasets.fetch_computerprogress(cache_dir=cache, url="file:///nonexistent/none.csv")
    pd.testing.assert_frame_equal(first, again)
    with pytest.warns(RuntimeWarning, match="cached copy"):
        datasets.fetch_computerprogress(cache_dir=cache, url="file:///nonexistent/none.csv", refresh=True)
    with pytest.raises(ConnectionError, match="nonexistent"):
        datasets.fetch_computerprogress(cache_dir=tmp_path / "empty", url="file:///nonexistent/none.csv")
    with pytest.raises(ValueError, match="url"):
        datasets.fetch_computerprogress(cache_dir=tmp_path / "empty2")


def test_fetch_epoch_prefilled_cache(tmp_path):
    cache = tmp_path / "c"
    cache.mkdir()
    (cache / "epoch_all_ai_models.csv").write_text(EPOCH_HEADER + "A,Vision,2012-09-30,6e7,1e18,,,,,,Confident\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = datasets.fetch_epoch(cache_dir=cache, url="http://127.0.0.1:9/unreachable.csv")
    assert frame["training_compute_flop"].tolist() == [1e18]
