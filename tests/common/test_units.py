"""Human units (``computelimits._units``): the issue's examples, unit boundaries, bad input, counts."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from computelimits import _units

DAY, YEAR = 86400.0, 365.25 * 86400.0


@pytest.mark.parametrize(
    "function, value, text",
    [
        (_units.format_duration, 4.2 * DAY, "4.2 days"),
        (_units.format_usd, 1.3e6, "$1.3M"),
        (_units.format_energy_kwh, 12_500, "12.5 MWh"),
        (_units.format_co2_kg, 5_100, "5.1 t CO2"),
        (_units.format_duration, 3.14e23 / 28e12, "355 years"),
        (_units.format_duration, 0.0, "0 s"),
        (_units.format_duration, 1.219e-8 * DAY, "1.1 ms"),
        (_units.format_duration, 45.0, "45.0 s"),
        (_units.format_duration, 90.0, "1.5 min"),
        (_units.format_duration, 3600.0, "1 hour"),
        (_units.format_duration, 7200.0, "2.0 hours"),
        (_units.format_duration, DAY, "1 day"),
        (_units.format_duration, YEAR, "1 year"),
        (_units.format_duration, 2e-7, "200 ns"),
        (_units.format_duration, 1.2e13 * YEAR, "1.2e+13 years"),
        (_units.format_usd, 0.42, "$0.42"),
        (_units.format_usd, 12.5, "$12.50"),
        (_units.format_usd, 420, "$420"),
        (_units.format_usd, 12_500, "$12.5k"),
        (_units.format_usd, 4.6e9, "$4.6B"),
        (_units.format_usd, 1.2e12, "$1.2T"),
        (_units.format_usd, 3e18, "$3.0e+18"),
        (_units.format_energy_kwh, 0.35, "350 Wh"),
        (_units.format_energy_kwh, 2.0e9, "2.0 TWh"),
        (_units.format_co2_kg, 0.2, "200 g CO2"),
        (_units.format_co2_kg, 5.65e10, "56.5 Mt CO2"),
        (_units.format_rate, 312e12, "312 TFLOP/s"),
        (_units.format_rate, 1.8e18, "1.8 EFLOP/s"),
        (_units.format_power_watts, 72, "72 W"),
        (_units.format_power_watts, 10_200, "10.2 kW"),
        (_units.format_count, 2.5, "2.5"),
        (_units.format_count, 12_345, "12,345"),
        (_units.format_count, 3.1e6, "3.1M"),
        (_units.format_flop, 3.14e23, "3.14e+23 FLOP"),
    ],
)
def test_examples(function, value, text):
    assert function(value) == text


@pytest.mark.parametrize(
    "function",
    [
        _units.format_duration,
        _units.format_usd,
        _units.format_energy_kwh,
        _units.format_co2_kg,
        _units.format_flop,
        _units.format_rate,
        _units.format_power_watts,
        _units.format_count,
    ],
)
def test_bad_values_raise_naming_the_argument(function):
    for bad in (-1.0, math.nan, math.inf):
        with pytest.raises(ValueError, match="must be finite and >= 0"):
            function(bad)
    with pytest.raises(TypeError, match="must be a real number"):
        function("12")
    with pytest.raises(TypeError):
        function(True)


@given(st.floats(min_value=0, max_value=1e30, allow_nan=False))
def test_duration_text_reads_back_within_its_rounding(seconds):
    text = _units.format_duration(seconds)
    number, unit = text.split(" ", 1)
    scale = {
        "ns": 1e-9,
        "us": 1e-6,
        "ms": 1e-3,
        "s": 1,
        "min": 60,
        "hour": 3600,
        "hours": 3600,
        "day": DAY,
        "days": DAY,
        "year": YEAR,
        "years": YEAR,
    }[unit]
    value = float(number.replace(",", "")) * scale
    assert value == pytest.approx(seconds, rel=0.06, abs=1e-9)


@pytest.mark.parametrize(
    "text, value",
    [
        ("1000", 1000),
        ("1e12", 10**12),
        ("1_281_167", 1_281_167),
        ("2.5e6", 2_500_000),
        (" 7 ", 7),
        (12, 12),
        ("1e30", 10**30),
    ],
)
def test_parse_count(text, value):
    assert _units.parse_count(text) == value


@pytest.mark.parametrize("text", ["1.5", "abc", "1,000", "inf", "nan", "", "1e5000"])
def test_parse_count_refuses_non_counts(text):
    with pytest.raises(ValueError, match="--tokens"):
        _units.parse_count(text, "--tokens")


def test_parse_count_minimum():
    assert _units.parse_count("0") == 0
    with pytest.raises(ValueError, match="--count must be >= 1"):
        _units.parse_count("0", "--count", minimum=1)
    with pytest.raises(TypeError):
        _units.parse_count(True)
