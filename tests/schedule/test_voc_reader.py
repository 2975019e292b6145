"""Our schedule.json read by the c3voc video team's own schedule library (an independent
consumer): it sees the source file's event and person ids, every event, every room."""

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.urls import reverse

from schedule.interchange.importers import import_file
from tests.schedule.conftest import CONTRACTS, ROOT

VOC_PYTHON = ROOT / ".venv-voc" / "bin" / "python"


@pytest.fixture(scope="session")
def voc_python() -> Path:
    if not VOC_PYTHON.exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("c3voc-schedule-tools missing: run `make test`, which installs .venv-voc")
        pytest.skip("c3voc-schedule-tools not installed (make test installs it in .venv-voc)")
    return VOC_PYTHON


def read_with_voc(voc_python: Path, content: bytes, tmp_path: Path) -> dict:
    path = tmp_path / "schedule.json"
    path.write_bytes(content)
    result = subprocess.run(
        [str(voc_python), str(CONTRACTS / "voc_reader.py"), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_c3voc_library_reads_the_files_ids_from_our_fosdem_2025_export(
    client, real_data, voc_python, tmp_path
):
    path = real_data / "fosdem/fosdem-2025-schedule.xml"
    import_file(path)
    root = ET.parse(path).getroot()
    file_events = {e.get("guid"): int(e.get("id")) for e in root.iter("event")}
    file_person_ids = {int(p.get("id")) for p in root.iter("person")}

    seen = read_with_voc(
        voc_python, client.get(reverse("exports:json", args=["fosdem-2025"])).content, tmp_path
    )

    assert seen["events_count"] == 943
    assert {guid: eid for guid, eid, _ in seen["events"]} == file_events
    assert (seen["min_id"], seen["max_id"]) == (
        min(file_events.values()),
        max(file_events.values()),
    )
    assert {pid for _, pid in seen["persons"]} == file_person_ids
    assert len(seen["rooms"]) == 40
