"""The catalogue's 2021-2024 additions against their datasheets' published figures, and the CSV loader."""

import csv
import io
from pathlib import Path

import pytest

from computelimits import hardware
from computelimits.hardware import _catalogue

T, P = 1e12, 1e15

# name -> (precision, vendor figure, vendor figure is "with sparsity"), from the datasheet in each record.
PUBLISHED = {
    "B200": [
        ("fp4", 18 * P, True),
        ("fp8", 9 * P, True),
        ("bf16", 4.5 * P, True),
        ("int8", 9 * P, True),
        ("fp32", 75 * T, False),
    ],
    "GB200": [
        ("fp4", 20 * P, True),
        ("fp8", 10 * P, True),
        ("bf16", 5 * P, True),
        ("tf32", 2.5 * P, True),
        ("fp32", 80 * T, False),
    ],
    "H20": [("bf16", 148 * T, False), ("fp8", 296 * T, False), ("fp32", 44 * T, False)],
    "L4": [("fp32", 30.3 * T, False), ("bf16", 242 * T, True), ("fp8", 485 * T, True), ("int8", 485 * T, True)],
    "L40S": [("fp32", 91.6 * T, False), ("fp8", 1466 * T, True), ("tf32", 366 * T, True)],
    "RTX 4090": [("fp32", 82.6 * T, False), ("bf16", 330.4 * T, True), ("fp8", 660.6 * T, True)],
    "MI250X": [("fp32", 47.9 * T, False), ("bf16", 383 * T, False), ("int8", 383 * T, False)],
    "MI300X": [("fp32", 163.4 * T, False), ("bf16", 2614.9 * T, True), ("fp8", 5229.8 * T, True)],
    "MI325X": [("bf16", 1307.4 * T, False), ("fp8", 2614.9 * T, False)],
    "Gaudi 2": [("bf16", 432 * T, False)],
    "Gaudi 3": [("bf16", 1835 * T, False), ("fp8", 1835 * T, False)],
    "TPU v5e": [("bf16", 197 * T, False), ("int8", 393 * T, False)],
    "TPU v5p": [("bf16", 459 * T, False)],
    "TPU v6e": [("bf16", 918 * T, False), ("int8", 1836 * T, False)],
}
BOARD_WATTS = {
    "B200": 1000,
    "GB200": 1200,
    "H20": 400,
    "L4": 72,
    "L40S": 350,
    "A10G": 300,
    "RTX 4090": 450,
    "MI250X": 560,
    "MI300X": 750,
    "MI325X": 1000,
    "Gaudi 2": 600,
    "Gaudi 3": 900,
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_dense_peaks_are_the_datasheet_figures_halved_where_sparse(name):
    proc = hardware.get_processor(name)
    for precision, figure, sparse in PUBLISHED[name]:
        assert proc.peak(precision) == pytest.approx(figure / 2 if sparse else figure, rel=2e-3), precision


def test_board_power_and_missing_power_are_recorded():
    for name, watts in BOARD_WATTS.items():
        assert hardware.get_processor(name).board_power_watts == watts, name
    for name in ("TPU v5e", "TPU v5p", "TPU v6e"):
        proc = hardware.get_processor(name)
        assert proc.board_power_watts is None and "no per-chip power" in proc.note


def test_every_record_has_sources_and_every_new_one_a_date_and_url():
    for proc in hardware.CATALOGUE:
        assert proc.source and proc.price_source, proc.name
    for name in sorted(set(PUBLISHED) | {"A10G"}):
        proc = hardware.get_processor(name)
        if proc.name == "H20":  # no public datasheet: year only, and the note says so
            assert proc.release_date is None and proc.source_url == "" and "no public H20 datasheet" in proc.note
        else:
            assert proc.release_date and proc.source_url.startswith("https://"), name
    unconfirmed = {p.name for p in hardware.CATALOGUE if "UNCONFIRMED" in p.note}
    assert unconfirmed == {"A10G", "H20"}
    for proc in hardware.CATALOGUE:  # a price is either given with its source or absent with a reason
        if proc.cloud_usd_per_hour is None:
            assert "price" in proc.price_source or "rented" in proc.price_source, proc.name
        else:
            assert any(str(y) in proc.price_source for y in range(2016, 2026)), proc.name  # dated


def test_vendors_and_kinds_extend_to_amd_intel_and_accelerators():
    assert {p.vendor for p in hardware.processors()} >= {"NVIDIA", "Google", "AMD", "Intel"}
    assert [p.name for p in hardware.processors("accelerator")] == ["Gaudi-2", "Gaudi-3"]
    assert hardware.get_processor("gaudi 3").burden_precision == "bf16"
    assert hardware.processors(vendor="amd") == hardware.processors(vendor="AMD")
    with pytest.raises(ValueError, match="kind"):
        hardware.processors("npu")


def test_default_precision_rule():
    expect = {
        "A100": "bf16",
        "V100": "fp16",
        "T4": "fp16",
        "P100": "fp32",
        "GTX 580": "fp32",
        "TPU v3": "bf16",
        "Gaudi 3": "bf16",
        "B200": "bf16",
        "MI300X": "bf16",
        "H20": "bf16",
    }
    for name, precision in expect.items():
        assert hardware.get_processor(name).default_precision == precision, name
    assert hardware.get_processor("A100").peak(None) == 312e12


def test_aliases_resolve_uniquely_including_epoch_style_names():
    assert hardware.get_processor("NVIDIA H100 SXM5 80GB").name == "H100-SXM"
    assert hardware.get_processor("AMD Instinct MI300X").name == "MI300X"
    assert hardware.get_processor("Intel Gaudi 3").name == "Gaudi-3"
    assert hardware.get_processor("Trillium").name == "TPU-v6e"
    assert hardware.get_processor("Google TPU v4").name == "TPU-v4"
    seen = {}
    for proc in hardware.CATALOGUE:
        for label in (proc.name,) + proc.aliases:
            key = hardware._registry.normalize_name(label)
            assert seen.setdefault(key, proc.name) == proc.name, label


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_catalogue_file_round_trips_and_bad_rows_name_line_and_column():
    text = (Path(_catalogue.__file__).parent / "data" / _catalogue.CATALOGUE_FILE).read_text(encoding="utf-8")
    assert _catalogue.read_catalogue(text) == hardware.CATALOGUE
    header, first = text.splitlines()[:2]
    with pytest.raises(ValueError, match="line 2: column 'fp32' is not a number"):
        _catalogue.read_catalogue(header + "\n" + first.replace(",1.581056,", ",fast,", 1) + "\n")
    with pytest.raises(ValueError, match="lacks columns"):
        _catalogue.read_catalogue("name,vendor\nX,Y\n")
    with pytest.raises(ValueError, match="kind must be one of"):
        _catalogue.read_catalogue(header + "\n" + first.replace(",gpu,", ",fpga,", 1) + "\n")


def test_processor_record_validation():
    base = dict(
        name="X1",
        vendor="V",
        kind="gpu",
        release_year=2024,
        peak_flops={"fp32": 1e12},
        board_power_watts=100.0,
        cloud_usd_per_hour=None,
        source="s",
    )
    hardware.Processor(**base)
    for change, match in [
        (dict(peak_flops={}), "at least one"),
        (dict(peak_flops={"fp64": 1e12}), "precision"),
        (dict(peak_flops={"fp32": float("nan")}), "finite"),
        (dict(board_power_watts=0.0), "board_power_watts"),
        (dict(release_date="2023-02-30"), "release_date"),
        (dict(release_date="2023-05"), "disagrees"),
        (dict(default_precision="bf16"), "default_precision"),
        (dict(kind="fpga"), "kind"),
    ]:
        with pytest.raises(ValueError, match=match):
            hardware.Processor(**{**base, **change})
