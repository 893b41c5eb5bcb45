"""Issue 13 item 11: an int beyond float64 is reported as an OverflowError naming the argument."""

import pytest

from computelimits import hardware


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: hardware.estimate(10**400, "V100"), "flop"),
        (lambda: hardware.estimate(1e20, "V100", count=10**400), "count"),
        (lambda: hardware.hardware_burden("V100", 1, 10**400), "seconds"),
    ],
)
def test_huge_integers_name_the_argument(call, name):
    with pytest.raises(OverflowError, match=f"^{name} is beyond float64's range"):
        call()


def test_large_but_representable_integers_still_work():
    peak = hardware.get_processor("V100").peak("fp32")
    assert hardware.estimate(10**30, "V100", utilization=1.0, precision="fp32").wall_seconds == pytest.approx(
        1e30 / peak, rel=1e-15
    )
