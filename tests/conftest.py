"""Shared fixtures: the third-party reference data in ../shared/data (tests only); hypothesis profiles.

Hypothesis profiles, chosen by the environment variable HYPOTHESIS_PROFILE:

- ``ci`` (the default): derandomized (the same examples every run, so CI is reproducible), no example
  database, and a budget of examples (500) that keeps tests/fuzz near one minute on two busy cores;
- ``dev``: random examples, ten times the budget, failures saved in .hypothesis/ and replayed first.
  For a long local hunt: ``HYPOTHESIS_PROFILE=dev python -m pytest tests/fuzz``;
- ``sanitize``: as ``ci`` with a tenth of the budget, for .ci/sanitize, where every example runs 5-10x
  slower under AddressSanitizer and the point is memory safety across shapes, which ``ci`` has already
  checked against the contract.

Tests that set ``max_examples`` themselves take a share of the profile's budget
(``tests/fuzz/_contract.py``: ``examples(fraction)``), so both profiles scale them.
"""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=500,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=5000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "sanitize",
    derandomize=True,
    database=None,
    max_examples=50,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILES = ("ci", "dev", "sanitize")
_profile = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if _profile not in PROFILES:
    raise ValueError(f"HYPOTHESIS_PROFILE must be one of {PROFILES}, got {_profile!r}")
settings.load_profile(_profile)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ../shared/data; tests using it skip when a checkout has none."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data folder {SHARED_DATA} is absent (it ships beside the project, not in it)")
    return SHARED_DATA
