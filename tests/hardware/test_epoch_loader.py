"""``load_epoch_hardware`` on a small CSV written here in Epoch AI's published column format.

Columns as Epoch AI publishes them (https://epoch.ai/data/machine-learning-hardware,
CC BY 4.0); the rows below are made up for the test, not Epoch's data.
"""

import csv

import pytest

from computelimits import hardware
from computelimits.cli import main

COLUMNS = [
    "Hardware name",
    "Manufacturer",
    "Type",
    "Release date",
    "Release price (USD)",
    "FP64 (double precision) performance (FLOP/s)",
    "FP32 (single precision) performance (FLOP/s)",
    "TF32 (TensorFloat-32) performance (FLOP/s)",
    "FP16 (half precision) performance (FLOP/s)",
    "Tensor-FP16/BF16 performance (FLOP/s)",
    "FP8 performance (FLOP/s)",
    "FP4 performance (FLOP/s)",
    "INT8 performance (OP/s)",
    "Memory (bytes)",
    "TDP (W)",
    "Link to datasheet",
]

ROWS = [
    # A processor the catalogue lacks.
    {
        "Hardware name": "Example XPU 9",
        "Manufacturer": "Example",
        "Type": "GPU",
        "Release date": "2025-02-03",
        "FP32 (single precision) performance (FLOP/s)": "1.0e14",
        "Tensor-FP16/BF16 performance (FLOP/s)": "8e14",
        "FP8 performance (FLOP/s)": "1.6e15",
        "TDP (W)": "500",
        "Link to datasheet": "https://example.com/xpu9.pdf",
    },
    # The catalogue's H100 under Epoch's name, with a (made-up) different FP32 figure.
    {
        "Hardware name": "NVIDIA H100 SXM5 80GB",
        "Manufacturer": "NVIDIA",
        "Type": "GPU",
        "Release date": "2022-09-20",
        "FP32 (single precision) performance (FLOP/s)": "6.0e13",
        "Tensor-FP16/BF16 performance (FLOP/s)": "9.894e14",
        "TDP (W)": "700",
    },
    # An older GPU with only a non-tensor FP16 rate.
    {
        "Hardware name": "Example Old 1",
        "Manufacturer": "Example",
        "Type": "GPU",
        "Release date": "2015",
        "FP32 (single precision) performance (FLOP/s)": "5e12",
        "FP16 (half precision) performance (FLOP/s)": "1e13",
    },
    # A TPU without TDP.
    {
        "Hardware name": "Example TPU z",
        "Manufacturer": "Google",
        "Type": "TPU",
        "Release date": "2024-05",
        "Tensor-FP16/BF16 performance (FLOP/s)": "4e14",
        "INT8 performance (OP/s)": "8e14",
    },
    # Rows that cannot be read: no date, no peak, a CPU.
    {"Hardware name": "Undated", "Type": "GPU", "FP32 (single precision) performance (FLOP/s)": "1e13"},
    {"Hardware name": "No peaks", "Type": "GPU", "Release date": "2020-01-01", "TDP (W)": "100"},
    {
        "Hardware name": "Some CPU",
        "Type": "CPU",
        "Release date": "2020-01-01",
        "FP32 (single precision) performance (FLOP/s)": "1e12",
    },
]


@pytest.fixture
def epoch_csv(tmp_path):
    path = tmp_path / "ml_hardware.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in ROWS:
            writer.writerow({column: row.get(column, "") for column in COLUMNS})
    yield path
    hardware.reset_catalogue()


def test_merge_keeps_catalogue_entries_and_adds_new_ones(epoch_csv):
    before = len(hardware.processors())
    load = hardware.load_epoch_hardware(epoch_csv)
    assert load.added == ("Example XPU 9", "Example Old 1", "Example TPU z")
    assert load.kept == ("NVIDIA H100 SXM5 80GB",) and load.replaced == ()
    assert dict(load.skipped) == {
        "Undated": "no release date: ''",
        "No peaks": "no peak performance figure",
        "Some CPU": "type 'CPU' is a CPU",
    }
    assert len(hardware.processors()) == before + 3
    xpu = hardware.get_processor("example xpu 9")
    assert xpu.peak("fp16") == 8e14 and xpu.peak("fp8") == 1.6e15 and xpu.board_power_watts == 500
    assert xpu.default_precision == "fp16" and xpu.release_date == "2025-02-03"
    assert "Epoch AI" in xpu.source and xpu.source_url == "https://example.com/xpu9.pdf"
    h100 = hardware.get_processor("NVIDIA H100 SXM5 80GB")
    assert h100.name == "H100-SXM" and h100.peak("fp32") == 67e12  # the catalogue won
    old = hardware.get_processor("Example Old 1")
    assert old.default_precision == "fp32" and old.peak("fp16") == 1e13  # a non-tensor FP16 is no default
    tpu = hardware.get_processor("Example TPU z")
    assert tpu.kind == "tpu" and tpu.peak("bf16") == 4e14 and tpu.burden_precision == "bf16"
    assert tpu.board_power_watts is None and hardware.estimate(1e20, tpu).energy_kwh is None
    assert tpu.release_date == "2024-05"
    hardware.reset_catalogue()
    assert len(hardware.processors()) == before and hardware.find_processor("Example XPU 9") is None


def test_prefer_new_takes_epochs_figures_under_the_catalogue_name(epoch_csv):
    load = hardware.load_epoch_hardware(epoch_csv, prefer="new")
    assert load.replaced == ("NVIDIA H100 SXM5 80GB",)
    h100 = hardware.get_processor("H100")
    assert h100.name == "H100-SXM" and h100.peak("fp32") == 6.0e13 and "Epoch AI" in h100.source
    assert h100.cloud_usd_per_hour == pytest.approx(98.32 / 8)  # Epoch has no rental price: the catalogue's stays
    assert hardware.get_processor("NVIDIA H100 SXM5 80GB") is h100


def test_merge_false_only_reads(epoch_csv):
    load = hardware.load_epoch_hardware(epoch_csv, merge=False)
    assert len(load.processors) == 4 and load.added == () and hardware.find_processor("Example XPU 9") is None


def test_bad_files_and_arguments(tmp_path, epoch_csv):
    with pytest.raises(FileNotFoundError, match="not a file"):
        hardware.load_epoch_hardware(tmp_path / "missing.csv")
    other = tmp_path / "other.csv"
    other.write_text("Model,Training compute (FLOP)\nGPT-3,3.14e23\n")
    with pytest.raises(ValueError, match="not Epoch AI's ML hardware table"):
        hardware.load_epoch_hardware(other)
    with pytest.raises(ValueError, match="prefer"):
        hardware.load_epoch_hardware(epoch_csv, prefer="epoch")
    with pytest.raises(TypeError, match="path"):
        hardware.load_epoch_hardware(3)


def test_cli_merges_before_looking_up(epoch_csv, capsys):
    assert main(["hardware", "show", "Example XPU 9", "--epoch-csv", str(epoch_csv)]) == 0
    out = capsys.readouterr().out
    assert "3 added" in out and "Epoch AI" in out and "Example XPU 9" in out
