"""Epoch AI's cost-model defaults as ``estimate`` uses them, against the published constants.

Cottier et al. (2024), "The rising costs of training frontier AI models" and its code
(epoch-research/training-cost-trends): utilization 0.375 when unknown, PUE 1.1 for
hyperscalers and 1.25 otherwise, server power = chip TDP x (H100: 10.2 kW / 8 / 0.7 kW,
A100: 6.5 kW / 8 / 0.4 kW, V100: mean of DGX-2 and DGX-1 ratios, other GPUs 1.8; TPU
v2 1.64, v3 1.47, later 1.56), average draw 0.75 of server TDP for GPUs and 0.43 for
TPUs. Sevilla et al. (2022): utilization 0.3 for LLMs, 0.4 for other models.
"""

import pytest

from computelimits import hardware


def test_published_constants():
    assert (hardware.UTILIZATION_LLM, hardware.UTILIZATION_OTHER, hardware.UTILIZATION_UNKNOWN) == (0.3, 0.4, 0.375)
    assert (hardware.PUE_HYPERSCALER, hardware.PUE_OTHER) == (1.1, 1.25)
    assert (hardware.AVERAGE_POWER_FRACTION_GPU, hardware.AVERAGE_POWER_FRACTION_TPU) == (0.75, 0.43)
    ratios = {
        "H100": 10.2 / 8 / 0.7,
        "H100 PCIe": 10.2 / 8 / 0.7,
        "A100-80GB": 6.5 / 8 / 0.4,
        "V100": (10 / 16 / 0.3 + 1.5 / 4 / 0.3) / 2,
        "B200": 1.8,
        "MI300X": 1.8,
        "TPU v2": 1.64,
        "TPU v3": 1.47,
        "TPU v4": 1.56,
        "TPU v6e": 1.56,
    }
    for name, ratio in ratios.items():
        assert hardware.server_to_chip_power(hardware.get_processor(name)) == pytest.approx(ratio, rel=1e-12), name
    assert hardware.average_power_fraction(hardware.get_processor("TPU v4")) == 0.43
    assert hardware.average_power_fraction(hardware.get_processor("Gaudi 3")) == 0.75


@pytest.mark.parametrize(
    "workload, operator, utilization, pue",
    [(None, "hyperscaler", 0.375, 1.1), ("llm", "hyperscaler", 0.3, 1.1), ("other", "other", 0.4, 1.25)],
)
def test_estimate_defaults_follow_workload_and_operator(workload, operator, utilization, pue):
    flop = 1e23
    result = hardware.estimate(flop, "H100", count=64, workload=workload, operator=operator)
    hours = flop / (64 * 989.5e12 * utilization) / 3600 * 64
    assert result.utilization == utilization and result.pue == pue and result.precision == "bf16"
    assert result.processor_hours == pytest.approx(hours, rel=1e-12)
    expected_kwh = 700 * (10.2 / 8 / 0.7) * 0.75 * pue * hours / 1000
    assert result.energy_kwh == pytest.approx(expected_kwh, rel=1e-12)
    assert result.co2_kg == pytest.approx(expected_kwh * 0.429, rel=1e-12)
    assert result.cost_usd == pytest.approx(hours * 98.32 / 8, rel=1e-12)
    assert set(result.assumed) == {"precision", "utilization", "pue", "server_power_ratio", "power_fraction"}


def test_given_values_override_defaults_and_are_not_listed_as_assumed():
    result = hardware.estimate(
        1e22, "TPU v4", utilization=0.5, precision="bf16", pue=1.3, server_power_ratio=2.0, power_fraction=0.5
    )
    assert result.assumed == ()
    hours = 1e22 / (275e12 * 0.5) / 3600
    assert result.energy_kwh == pytest.approx(192 * 2.0 * 0.5 * 1.3 * hours / 1000, rel=1e-12)


def test_hardware_burden_keeps_the_papers_fp32_convention():
    # Thompson et al. (2020): FP32 peak for GPUs even where a faster tensor rate exists.
    assert hardware.hardware_burden("A100", 1, 1.0) == 19.5e12
    assert hardware.hardware_burden("B200", 2, 10.0) == 2 * 75e12 * 10.0
    assert hardware.hardware_burden("TPU v6e", 1, 1.0) == 918e12  # TPUs publish no FP32 peak
    assert hardware.hardware_burden("Gaudi 2", 1, 1.0) == 432e12
    assert hardware.estimate(1e18, "A100").precision == "bf16"  # while estimates default to the tensor peak


def test_int8_estimates_count_operations():
    result = hardware.estimate(1.836e15 * 3600, "TPU v6e", precision="int8", utilization=1.0)
    assert result.wall_seconds == pytest.approx(3600.0, rel=1e-12)
    assert "OP/s" in str(result)
