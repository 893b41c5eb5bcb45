"""Hardware catalogue and arithmetic, checked against published figures and closed forms."""

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from computelimits import hardware


def test_alexnet_hardware_burden():
    # Krizhevsky et al. 2012: two GTX 580s for five to six days. GTX 580 peak
    # FP32 = 512 cores x 1544 MHz x 2 = 1.581 TFLOP/s (NVIDIA specifications).
    gtx580 = hardware.get_processor("GTX 580")
    assert gtx580.peak("fp32") == pytest.approx(1.581e12, rel=1e-3)
    burden = hardware.hardware_burden("GTX 580", 2, 5.5 * 86400)
    assert burden == pytest.approx(2 * 1.581e12 * 5.5 * 86400, rel=1e-3)
    assert burden == pytest.approx(1.503e18, rel=1e-3)


def test_gpt3_on_one_v100_takes_355_years():
    # Brown et al. 2020: 3.14e23 FLOP; Lambda's figure: 355 years at 28 TFLOP/s
    # sustained on one V100. The peak that makes 28 TFLOP/s a utilization is
    # the V100 SXM2 tensor-core FP16 peak, 125 TFLOP/s (FP32's 15.7 is below 28).
    v100 = hardware.get_processor("V100")
    assert v100.peak("fp16") == 125e12
    result = hardware.estimate(3.14e23, "V100", precision="fp16", utilization=28e12 / 125e12)
    assert result.wall_seconds == pytest.approx(3.14e23 / 28e12, rel=1e-12)
    assert result.wall_years == pytest.approx(355.36, abs=0.01)
    with pytest.raises(ValueError, match="utilization"):
        hardware.estimate(3.14e23, "V100", precision="fp32", utilization=28e12 / 15.7e12)


def test_energy_cost_co2_closed_forms():
    # 1e21 FLOP on 8 A100s at 50% of the 312 TFLOP/s bf16 peak:
    flop, count, util = 1e21, 8, 0.5
    wall = flop / (count * 312e12 * util)
    hours = count * wall / 3600
    result = hardware.estimate(
        flop,
        "A100-40GB",
        count=count,
        utilization=util,
        precision="bf16",
        usd_per_hour=2.0,
        pue=1.2,
        grid_kg_co2_per_kwh=0.5,
    )
    assert result.wall_seconds == pytest.approx(wall, rel=1e-12)
    assert result.processor_hours == pytest.approx(hours, rel=1e-12)
    assert result.cost_usd == pytest.approx(2.0 * hours, rel=1e-12)
    # Server power: Epoch AI's A100 ratio (6.5 kW DGX / 8 GPUs / 0.4 kW) and 75% average draw.
    server = 400 * (6.5 / 8 / 0.4) * 0.75
    assert result.energy_kwh == pytest.approx(server * hours * 1.2 / 1000, rel=1e-12)
    assert result.co2_kg == pytest.approx(server * hours * 1.2 / 1000 * 0.5, rel=1e-12)
    assert result.assumed == ("server_power_ratio", "power_fraction")
    # Board power only (server ratio and average draw 1), given PUE:
    board = hardware.estimate(
        flop,
        "A100-40GB",
        count=count,
        utilization=util,
        precision="bf16",
        pue=1.2,
        server_power_ratio=1,
        power_fraction=1,
    )
    assert board.energy_kwh == pytest.approx(400 * hours * 1.2 / 1000, rel=1e-12)
    assert board.co2_kg == pytest.approx(400 * hours * 1.2 / 1000 * 0.429, rel=1e-12)
    assert board.assumed == ()
    d = board.to_dict()
    assert d["processor"] == "A100-SXM4-40GB" and d["wall_seconds"] == board.wall_seconds
    assert "HardwareEstimate(" in repr(board)
    assert board.to_frame().shape == (1, len(d))


def test_overflow_is_an_error_not_inf():
    with pytest.raises(OverflowError, match="seconds"):
        hardware.hardware_burden("H100", 10**6, 1e300)
    with pytest.raises(OverflowError, match="flop"):
        hardware.estimate(1.7e308, "GTX 580", utilization=1e-9, usd_per_hour=1e10)


def test_no_price_gives_no_cost_and_says_so():
    assert hardware.get_processor("GTX 580").cloud_usd_per_hour is None
    result = hardware.estimate(1e18, "GTX 580")
    assert result.cost_usd is None
    assert any(reason.startswith("cost_usd") and "GTX-580" in reason for reason in result.missing)
    assert "unknown (no hourly price)" in str(result)


def test_catalogue_covers_required_parts_and_published_figures():
    published_fp32 = {  # vendor datasheet figures, TFLOP/s
        "K20X": 3.95,
        "K40": 4.29,
        "K80": 8.73,
        "M40": 7.0,
        "P100": 10.6,
        "P100 PCIe": 9.3,
        "V100": 15.7,
        "V100-32GB": 15.7,
        "V100 PCIe": 14.0,
        "T4": 8.1,
        "A100": 19.5,
        "A100-80GB": 19.5,
        "H100": 67.0,
        "H100 PCIe": 51.0,
        "H200": 67.0,
        "Titan Black": 5.12,
        "Titan X Maxwell": 6.6,
        "Titan X Pascal": 11.0,
    }
    for name, tflops in published_fp32.items():
        assert hardware.get_processor(name).peak("fp32") == pytest.approx(tflops * 1e12, rel=0.01), name
    assert hardware.get_processor("A100").peak("tf32") == 156e12
    assert hardware.get_processor("H100").peak("fp8") == pytest.approx(3958e12 / 2, rel=1e-3)
    for name, tflops in {"TPU v2": 45, "TPU v3": 123, "TPU v4": 275}.items():
        tpu = hardware.get_processor(name)
        assert tpu.kind == "tpu" and tpu.peak("bf16") == tflops * 1e12
        assert hardware.hardware_burden(tpu, 4, 10.0) == 4 * tflops * 1e12 * 10.0
    for proc in hardware.processors():
        assert proc.source and 2009 < proc.release_year < 2026
        assert proc.board_power_watts is not None or "power" in proc.note
        assert proc.peak(proc.burden_precision) > 0
        assert hardware.get_processor(proc.name) is proc
    assert len(hardware.processors("tpu")) == 6
    assert hardware.catalogue_frame().shape[0] == len(hardware.processors())


def test_lookup_is_case_and_punctuation_insensitive():
    assert hardware.get_processor("tesla v100") is hardware.get_processor("V100-SXM2-16GB")
    assert hardware.get_processor("a100_80gb").name == "A100-SXM4-80GB"
    with pytest.raises(ValueError, match=r"did you mean .*V100"):
        hardware.get_processor("V10O")
    with pytest.raises(TypeError, match="processor"):
        hardware.get_processor(100)
    assert hardware.find_processor("Tesla K80") is hardware.get_processor("K80")
    assert hardware.find_processor("Z80") is None and hardware.find_processor(100) is None


def test_processor_is_frozen():
    v100 = hardware.get_processor("V100")
    with pytest.raises(dataclasses.FrozenInstanceError):
        v100.release_year = 2000
    with pytest.raises(TypeError):
        v100.peak_flops["fp32"] = 1.0
    with pytest.raises(ValueError, match="bf16"):
        v100.peak("bf16")


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(processor="Z80", count=1, seconds=1.0), "processor"),
        (dict(processor="V100", count=0, seconds=1.0), "count"),
        (dict(processor="V100", count=-2, seconds=1.0), "count"),
        (dict(processor="V100", count=1.5, seconds=1.0), "count"),
        (dict(processor="V100", count=1, seconds=-1.0), "seconds"),
        (dict(processor="V100", count=1, seconds=float("nan")), "seconds"),
        (dict(processor="V100", count=1, seconds=float("inf")), "seconds"),
    ],
)
def test_burden_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        hardware.hardware_burden(**kwargs)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(flop=-1.0), "flop"),
        (dict(flop=float("nan")), "flop"),
        (dict(utilization=0.0), "utilization"),
        (dict(utilization=1.01), "utilization"),
        (dict(utilization=float("nan")), "utilization"),
        (dict(count=0), "count"),
        (dict(precision="fp64"), "precision"),
        (dict(precision="fp8"), "precision"),  # the V100 publishes no FP8 peak
        (dict(pue=0.9), "pue"),
        (dict(workload="vision"), "workload"),
        (dict(operator="university"), "operator"),
        (dict(server_power_ratio=0.5), "server_power_ratio"),
        (dict(power_fraction=0.0), "power_fraction"),
        (dict(board_power_watts=-5.0), "board_power_watts"),
        (dict(usd_per_hour=-1.0), "usd_per_hour"),
        (dict(grid_kg_co2_per_kwh=-0.1), "grid_kg_co2_per_kwh"),
    ],
)
def test_estimate_bad_input(kwargs, name):
    args = dict(flop=1e18, processor="V100")
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        hardware.estimate(**args)


@settings(max_examples=60, deadline=None)
@given(
    flop=st.floats(0, 1e30),
    count=st.integers(1, 100000),
    util=st.floats(1e-6, 1.0),
    name=st.sampled_from([p.name for p in hardware.processors()]),
)
def test_estimate_fuzz_round_trips(flop, count, util, name):
    proc = hardware.get_processor(name)
    result = hardware.estimate(flop, name, count=count, utilization=util, precision=proc.burden_precision)
    # Burden of the run at this wall time, times utilization, is the work done.
    burden = hardware.hardware_burden(name, count, result.wall_seconds)
    assert math.isclose(burden * util, flop, rel_tol=1e-9, abs_tol=1e-300)
    if proc.board_power_watts is None:  # undetermined, and said so
        assert result.energy_kwh is None and result.co2_kg is None and result.missing
    else:
        assert result.energy_kwh >= 0 and result.co2_kg >= 0


@settings(max_examples=60, deadline=None)
@given(value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 0), st.text(max_size=3)))
def test_burden_fuzz_never_silent(value):
    for kwargs in (dict(count=value, seconds=1.0), dict(count=1, seconds=value)):
        try:
            out = hardware.hardware_burden("K40", **kwargs)
        except (ValueError, TypeError, OverflowError):
            continue
        assert math.isfinite(out) and out >= 0
