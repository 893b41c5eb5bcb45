"""Quick reports rendered once per test session, shared by the report tests."""

import pytest

from computelimits.cli import main


@pytest.fixture(scope="session")
def report(tmp_path_factory):
    """``computelimits reproduce --quick --seed 7`` on the embedded data."""
    out = tmp_path_factory.mktemp("report")
    assert main(["reproduce", "--quick", "--out", str(out), "--seed", "7", "--no-progress"]) == 0
    return out


@pytest.fixture(scope="session")
def epoch_report(shared_data, tmp_path_factory):
    """The same with Epoch AI's table (skips when the reference data are absent)."""
    out = tmp_path_factory.mktemp("epoch_report")
    epoch = shared_data / "epoch" / "all_ml_systems.csv"
    assert main(["reproduce", "--quick", "--out", str(out), "--epoch-csv", str(epoch), "--no-progress"]) == 0
    return out
