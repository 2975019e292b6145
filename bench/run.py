"""Benchmark the public pages and exports on a FOSDEM-sized event.

    python bench/run.py [--talks 1000] [--rooms 70] [--devrooms 35] [--repeat 20]

Builds a throw-away SQLite database (or uses DATABASE_URL when set, in a test database),
fills it with a synthetic event, then requests each page in-process with Django's test
client and prints median / 95th percentile time, SQL query count and response size.
Numbers are for comparing changes on one machine, not absolute promises.
"""

import argparse
import datetime as dt
import gzip
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(database: str | None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schedule.settings_test")
    if database:
        os.environ["DATABASE_URL"] = database
    import django

    django.setup()


def populate(talks: int, rooms: int, devrooms: int):
    from schedule.models import Devroom, Event, Room
    from talks.models import Speaker, Talk, TalkSpeaker

    brussels = ZoneInfo("Europe/Brussels")
    event = Event.objects.create(
        name="BENCH 2026",
        slug="bench-2026",
        start_date=dt.date(2026, 1, 31),
        end_date=dt.date(2026, 2, 1),
    )
    room_rows = Room.objects.bulk_create(
        Room(event=event, name=f"Room {n}", slug=f"room-{n}", position=n, capacity=100)
        for n in range(rooms)
    )
    devroom_rows = Devroom.objects.bulk_create(
        Devroom(event=event, name=f"Devroom {n}", slug=f"devroom-{n}") for n in range(devrooms)
    )
    speakers = Speaker.objects.bulk_create(
        Speaker(name=f"Speaker {n}", slug=f"speaker-{n}", bio="Bio " * 20)
        for n in range(talks + talks // 5)
    )
    per_room_day = max(1, talks // (rooms * 2) + 1)
    rows = []
    for n in range(talks):
        room = n % rooms
        slot = n // rooms
        day = slot // per_room_day
        start = dt.datetime(2026, 1, 31, 9, tzinfo=brussels) + dt.timedelta(
            days=day, minutes=30 * (slot % per_room_day)
        )
        rows.append(
            Talk(
                event=event,
                room=room_rows[room],
                devroom=devroom_rows[n % devrooms],
                title=f"Talk number {n} about things",
                slug=f"talk-{n}",
                start=start,
                end=start + dt.timedelta(minutes=25),
                abstract="Abstract text. " * 30,
            )
        )
    rows = Talk.objects.bulk_create(rows)
    TalkSpeaker.objects.bulk_create(
        TalkSpeaker(talk=t, speaker=speakers[i], position=0) for i, t in enumerate(rows)
    )
    TalkSpeaker.objects.bulk_create(
        TalkSpeaker(talk=t, speaker=speakers[talks + i // 5], position=1)
        for i, t in enumerate(rows)
        if i % 5 == 0
    )
    return event


def measure(client, url, repeat, *, cold: bool, **headers):
    """Median and p95 in ms, queries of the last request, body size.

    cold: the page/export cache is emptied before each request (first visitor after a
    change); warm: served from the cache as every later visitor is.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(repeat):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, **headers)
            timings.append((time.perf_counter() - started) * 1000)
    assert response.status_code in (200, 304), (url, response.status_code)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return statistics.median(timings), p95, len(queries), len(body), len(gzip.compress(body))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talks", type=int, default=1000)
    parser.add_argument("--rooms", type=int, default=70)
    parser.add_argument("--devrooms", type=int, default=35)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    database = (
        None
        if os.environ.get("DATABASE_URL")
        else (f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
    )
    setup_django(database)
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    event = populate(args.talks, args.rooms, args.devrooms)
    client = Client()
    slug = event.slug
    etag = client.get(f"/{slug}/schedule.ics")["ETag"]
    pages = [
        ("event home", f"/{slug}/", {}),
        ("list, all talks", f"/{slug}/schedule/", {}),
        ("list, one devroom", f"/{slug}/schedule/?devroom=devroom-1", {}),
        ("list, text search", f"/{slug}/schedule/?q=number+12", {}),
        ("grid, one day", f"/{slug}/schedule/2026-01-31/", {}),
        ("now/next", f"/{slug}/now/", {}),
        ("devroom page", f"/{slug}/devrooms/devroom-1/", {}),
        ("talk page", f"/{slug}/talks/talk-1/", {}),
        ("schedule.ics", f"/{slug}/schedule.ics", {}),
        ("schedule.ics, 304", f"/{slug}/schedule.ics", {"HTTP_IF_NONE_MATCH": etag}),
        ("schedule.xml", f"/{slug}/schedule.xml", {}),
        ("schedule.json", f"/{slug}/schedule.json", {}),
    ]
    print(
        f"{args.talks} talks, {args.rooms} rooms, {args.devrooms} devrooms; "
        f"{args.repeat} requests each; database {os.environ.get('DATABASE_URL', database)}"
    )
    print(
        f"{'page':<22}{'cold median':>12}{'cold p95':>10}{'queries':>8}"
        f"{'warm median':>12}{'queries':>8}{'KiB':>7}{'gz KiB':>8}  (times in ms)"
    )
    for label, url, headers in pages:
        cold, cold_p95, cold_queries, size, packed = measure(
            client, url, args.repeat, cold=True, **headers
        )
        warm, _, warm_queries, _, _ = measure(client, url, args.repeat, cold=False, **headers)
        print(
            f"{label:<22}{cold:>12.1f}{cold_p95:>10.1f}{cold_queries:>8}{warm:>12.1f}"
            f"{warm_queries:>8}{size / 1024:>7.0f}{packed / 1024:>8.0f}"
        )


if __name__ == "__main__":
    main()
