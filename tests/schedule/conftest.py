import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "tests" / "contracts"


def shared_data_dir() -> Path | None:
    candidates = [
        os.environ.get("SCHEDULE_TEST_DATA"),
        ROOT.parent / "shared" / "data",
        Path("/work/shared/data"),
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "real").is_dir():
            return Path(candidate)
    return None


def required_data_dir() -> Path:
    """The shared data folder; without it the test skips (fails on CI, where it must be)."""
    found = shared_data_dir()
    if found is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Real schedules not found: set SCHEDULE_TEST_DATA to shared/data")
        pytest.skip("Real schedules not found (set SCHEDULE_TEST_DATA to shared/data)")
    return found


def import_fosdem(year: int) -> None:
    """One FOSDEM edition imported as an organiser would (the management command)."""
    from django.core.management import call_command

    schedule = required_data_dir() / "real" / "fosdem" / f"fosdem-{year}-schedule.xml"
    call_command("import_schedule", str(schedule), verbosity=0)


@pytest.fixture(scope="session")
def real_data() -> Path:
    return required_data_dir() / "real"
