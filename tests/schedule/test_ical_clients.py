"""Our calendar read back by a real client, khal (its command line), not by our own parser.

The hour repeated when clocks go back names two instants for each local time; khal,
calcurse, libical and ical.js read a TZID time there as the second one. A talk at the first
02:30 written as local time would show an hour late.
"""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_event, make_room, make_talk

KHAL = Path(sys.executable).parent / "khal"

CONFIG = """[calendars]
[[schedule]]
path = {vdir}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
default_timezone = UTC
local_timezone = UTC
[sqlite]
path = {db}
"""


def read_with_khal(tmp_path: Path, ics: bytes, first_day: str) -> dict[str, tuple[str, str]]:
    """Title -> (start, end) in UTC as khal lists them."""
    vdir = tmp_path / "vdir"
    vdir.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(CONFIG.format(vdir=vdir, db=tmp_path / "khal.db"))
    feed = tmp_path / "schedule.ics"
    feed.write_bytes(ics)
    run = [str(KHAL), "-c", str(config)]
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "TZ": "UTC"}
    subprocess.run([*run, "import", "--batch", "-a", "schedule", str(feed)], check=True, env=env)
    listed = subprocess.run(
        [*run, "list", "--format", "{start}|{end}|{title}", first_day, "3d"],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    times = {}
    for line in listed.splitlines():
        if line.count("|") == 2:
            start, end, title = line.split("|")
            times[title] = (start, end)
    return times


@pytest.mark.django_db
def test_khal_reads_talks_in_the_repeated_hour_at_their_true_instants(client, tmp_path):
    event = make_event(
        slug="night-2025",
        timezone="Europe/Brussels",
        start_date=dt.date(2025, 10, 25),
        end_date=dt.date(2025, 10, 26),
    )
    room = make_room(event, name="Hall")
    zone = event.tzinfo
    # Given in UTC: aware arithmetic in a zone adds wall time, which would stretch them.
    first = dt.datetime(2025, 10, 26, 0, 30, tzinfo=dt.UTC)  # the first 02:30 in Brussels
    second = dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC)  # the second 02:30
    make_talk(room=room, title="First half past two", start=first, minutes=30)
    other = make_room(event, name="Annex", slug="annex")
    make_talk(room=other, title="Second half past two", start=second, minutes=30)
    # Ends at the first 02:00 (00:00 UTC), which a local DTEND would stretch by an hour.
    make_talk(
        room=room,
        title="Until the first two",
        start=dt.datetime(2025, 10, 26, 1, 30, tzinfo=zone),
        minutes=30,
    )
    make_talk(
        room=room,
        title="Ordinary afternoon",
        start=dt.datetime(2025, 10, 25, 15, 0, tzinfo=zone),
        minutes=45,
    )

    ics = client.get(reverse("exports:ics", args=[event.slug])).content
    times = read_with_khal(tmp_path, ics, "2025-10-25")

    assert times["First half past two"] == ("2025-10-26 00:30", "2025-10-26 01:00")
    assert times["Second half past two"] == ("2025-10-26 01:30", "2025-10-26 02:00")
    assert times["Until the first two"] == ("2025-10-25 23:30", "2025-10-26 00:00")
    assert times["Ordinary afternoon"] == ("2025-10-25 13:00", "2025-10-25 13:45")
    assert b"DTSTART;TZID=Europe/Brussels:20251025T150000" in ics  # zone kept elsewhere
