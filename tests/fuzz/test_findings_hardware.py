"""Regression tests for the contract violations the fuzz tests found in hardware (one test per finding, its reproducer)."""

import pytest

from computelimits import hardware


def test_hardware_estimate_with_an_absurd_count_is_not_zero():
    # count x peak x utilization overflowed to inf, so time, hours, cost and energy came out 0
    result = hardware.estimate(1e20, "V100", count=1e300, utilization=0.5, precision="fp32")
    assert result.wall_seconds == pytest.approx(1e20 / 15.7e12 / 0.5 / 1e300, rel=1e-12)
    assert result.processor_hours == pytest.approx(1e20 / 15.7e12 / 0.5 / 3600, rel=1e-12)


def test_hardware_overflow_names_what_overflowed():
    # the message blamed flop whatever overflowed
    with pytest.raises(OverflowError, match=r"cost_usd overflows float64 .*usd_per_hour"):
        hardware.estimate(1e60, "V100", usd_per_hour=1e300)
    with pytest.raises(OverflowError, match=r"^flop is beyond float64's range"):
        hardware.estimate(10**5000, "V100")  # str() of a 5000-digit int raised an unnamed ValueError


@pytest.mark.parametrize(
    "peak, message",
    [
        (None, "peak_flops must be a mapping"),
        (1e14, "peak_flops must be a mapping"),
        ({"fp32": 10**400}, r"peak_flops\['fp32'\] must be a finite number"),
    ],
)
def test_processor_checks_peak_flops(peak, message):
    # None or a number raised "'NoneType' object is not iterable"; 10**400 "int too large to convert to float"
    with pytest.raises((TypeError, ValueError), match=message):
        hardware.Processor("Fuzz X1", "Fuzz", "gpu", 2020, peak, None, None, "fuzz test")
