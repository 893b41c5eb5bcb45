"""Fuzz the hardware area: estimate, hardware_burden, get_processor, processors, Processor, the Epoch loader.

Each call raises a documented error naming its argument, or returns finite numbers (a cost, energy
or CO2 of None is listed in ``missing``); see _contract.py.
"""

import math

from hypothesis import given
from hypothesis import strategies as st

from computelimits import hardware

from ._contract import Faults, any_float, attempt, examples, odd_scalars

NAMES = [p.name for p in hardware.processors()]
processor_names = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(NAMES).map(str.lower),
    st.sampled_from(["NVIDIA Tesla V100", "h100 sxm", "TPU v4", "gtx580", "A100 80GB SXM"]),
)
bad_processors = st.one_of(st.text(max_size=12), st.sampled_from(["", " ", "V1000", "!!"]), odd_scalars)
flops = st.one_of(st.floats(0, 1e30), st.integers(0, 10**30), st.sampled_from([1e-300, 1e300, 2**200, 5e-324]))
bad_reals = st.one_of(any_float, odd_scalars)
counts = st.one_of(st.integers(1, 10**6), st.sampled_from([1.0, 1024.0, 10**15, 2**62, 10**300, 1e300]))
fractions = st.floats(1e-6, 1.0)


@examples(1.5)
@given(data=st.data())
def test_estimate(data):
    names = ["flop", "processor", "count", "utilization", "precision", "usd_per_hour", "pue", "grid_kg_co2_per_kwh"]
    names += ["workload", "operator", "server_power_ratio", "power_fraction", "board_power_watts"]
    f = Faults(data, names)
    arguments = dict(
        flop=f.draw("flop", flops, bad_reals),
        processor=f.draw("processor", processor_names, bad_processors),
        count=f.draw("count", counts, st.one_of(odd_scalars, st.just(1.5))),
        utilization=f.draw("utilization", st.one_of(st.none(), fractions), bad_reals),
        precision=f.draw("precision", st.one_of(st.none(), st.sampled_from(hardware.PRECISIONS)), bad_processors),
        usd_per_hour=f.draw("usd_per_hour", st.one_of(st.none(), st.floats(0, 1e4)), bad_reals),
        pue=f.draw("pue", st.one_of(st.none(), st.floats(1.0, 3.0)), bad_reals),
        grid_kg_co2_per_kwh=f.draw("grid_kg_co2_per_kwh", st.floats(0, 2.0), bad_reals),
        workload=f.draw("workload", st.sampled_from([None, *hardware.WORKLOADS]), bad_processors),
        operator=f.draw("operator", st.sampled_from(hardware.OPERATORS), bad_processors),
        server_power_ratio=f.draw("server_power_ratio", st.one_of(st.none(), st.floats(1.0, 4.0)), bad_reals),
        power_fraction=f.draw("power_fraction", st.one_of(st.none(), fractions), bad_reals),
        board_power_watts=f.draw("board_power_watts", st.one_of(st.none(), st.floats(1.0, 2000.0)), bad_reals),
    )
    outcome = attempt(hardware.estimate, names, **arguments)
    if outcome.error is None:
        result = outcome.result
        numbers = [result.wall_seconds, result.processor_hours, result.flop, result.peak_flops]
        numbers += [v for v in (result.cost_usd, result.energy_kwh, result.co2_kg) if v is not None]
        assert all(math.isfinite(v) and v >= 0 for v in numbers), result
        if result.flop > 0:  # time is FLOP / (count x peak x utilization): zero only when it underflows
            expected = result.flop / result.peak_flops / result.utilization / result.count
            assert result.wall_seconds > 0 or expected < 1e-300, result
        for field, value in (("cost_usd", result.cost_usd), ("energy_kwh", result.energy_kwh)):
            if value is None:
                assert any(field in note for note in result.missing), result.missing


@examples(1.0)
@given(data=st.data())
def test_hardware_burden(data):
    f = Faults(data, ["processor", "count", "seconds", "precision"])
    processor = f.draw("processor", processor_names, bad_processors)
    count = f.draw("count", counts, st.one_of(odd_scalars, st.just(0.5)))
    seconds = f.draw("seconds", st.one_of(st.floats(0, 1e9), st.integers(0, 10**9)), bad_reals)
    precision = f.draw("precision", st.one_of(st.none(), st.sampled_from(hardware.PRECISIONS)), bad_processors)
    outcome = attempt(hardware.hardware_burden, f.names, processor, count, seconds, precision)
    if outcome.error is None:
        assert math.isfinite(outcome.result) and outcome.result >= 0
        if seconds > 0:
            assert outcome.result > 0


@examples(1.0)
@given(name=st.one_of(processor_names, bad_processors))
def test_get_processor(name):
    outcome = attempt(hardware.get_processor, ["processor"], name)
    if outcome.error is None:
        assert outcome.result.name in NAMES
        assert all(math.isfinite(v) and v > 0 for v in outcome.result.peak_flops.values())


@examples(0.5)
@given(
    kind=st.one_of(st.none(), st.sampled_from(hardware.KINDS), bad_processors),
    vendor=st.one_of(st.none(), st.sampled_from(["NVIDIA", "Google", "AMD", "nobody"]), odd_scalars),
)
def test_processors(kind, vendor):
    outcome = attempt(hardware.processors, ["kind", "vendor"], kind, vendor)
    if outcome.error is None:
        assert all(p.kind == kind for p in outcome.result) or kind is None


@examples(1.0)
@given(data=st.data())
def test_processor_records(data):
    names = ["name", "kind", "release_year", "peak_flops", "board_power_watts", "cloud_usd_per_hour"]
    f = Faults(data, names)
    fields = dict(
        name=f.draw("name", st.sampled_from(["Fuzz X1", "fuzz-2"]), st.one_of(st.just(""), odd_scalars)),
        kind=f.draw("kind", st.sampled_from(hardware.KINDS), bad_processors),
        release_year=f.draw("release_year", st.integers(1990, 2030), st.one_of(st.just(2020.5), odd_scalars)),
        peak_flops=f.draw(
            "peak_flops",
            st.dictionaries(st.sampled_from(hardware.PRECISIONS), st.floats(1e9, 1e18), min_size=1),
            st.one_of(
                st.just({}),
                st.dictionaries(st.sampled_from(["fp32", "fp99"]), bad_reals, min_size=1),
                odd_scalars,
            ),
        ),
        board_power_watts=f.draw("board_power_watts", st.one_of(st.none(), st.floats(1, 2000)), bad_reals),
        cloud_usd_per_hour=f.draw("cloud_usd_per_hour", st.one_of(st.none(), st.floats(0.01, 100)), bad_reals),
    )
    precision = (
        sorted(fields["peak_flops"])[0] if isinstance(fields["peak_flops"], dict) and fields["peak_flops"] else "fp32"
    )
    outcome = attempt(
        hardware.Processor,
        names + ["burden_precision", "default_precision", "precision"],
        vendor="Fuzz",
        source="fuzz test",
        burden_precision=precision,
        **fields,
    )
    if outcome.error is None:
        processor = outcome.result
        assert math.isfinite(processor.burden_flops) and processor.burden_flops > 0
        estimate = attempt(hardware.estimate, ["flop", "count"], 1e20, processor, 8)
        if estimate.error is None:
            assert math.isfinite(estimate.result.wall_seconds)
        else:  # a valid record with an absurd price or power (1.7e308): the cost or energy overflows, and says so
            assert isinstance(estimate.error, OverflowError) and "overflows float64" in str(estimate.error)
