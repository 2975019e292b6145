"""Small factory functions; each call makes distinct, valid rows."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection

from schedule.models import Devroom, Event, Room
from talks.models import Speaker, Talk, TalkSpeaker

BRUSSELS = ZoneInfo("Europe/Brussels")
_seq = itertools.count(1)


def brussels(year, month, day, hour, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


def make_event(**fields) -> Event:
    n = next(_seq)
    fields = {
        "name": f"FOSDEM {2000 + n}",
        "slug": f"fosdem-{2000 + n}",
        "start_date": dt.date(2014, 2, 1),
        "end_date": dt.date(2014, 2, 2),
        "timezone": "Europe/Brussels",
        "city": "Brussels",
    } | fields
    return Event.objects.create(**fields)


def make_room(event=None, **fields) -> Room:
    n = next(_seq)
    fields = {"name": f"Room {n}", "slug": f"room-{n}", "position": n} | fields
    return Room.objects.create(event=event or make_event(), **fields)


def make_devroom(event=None, **fields) -> Devroom:
    n = next(_seq)
    fields = {"name": f"Devroom {n}", "slug": f"devroom-{n}"} | fields
    return Devroom.objects.create(event=event or make_event(), **fields)


def make_speaker(**fields) -> Speaker:
    n = next(_seq)
    fields = {"name": f"Speaker {n}", "slug": f"speaker-{n}"} | fields
    return Speaker.objects.create(**fields)


def make_talk(
    *, event=None, room=None, devroom=None, speakers=(), start=None, minutes=30, **fields
) -> Talk:
    """A confirmed talk; by default a fresh 30-minute slot on Saturday in its own room.

    Default slots are 31 minutes apart, so that talks made in one room do not double-book
    it (saves refuse that)."""
    n = next(_seq)
    event = event or (room.event if room else devroom.event if devroom else make_event())
    room = room if room is not None else make_room(event)
    if start is None and "end" not in fields:
        start = brussels(2014, 2, 1, 8) + dt.timedelta(minutes=31 * (n % 30))
    end = fields.pop("end", start + dt.timedelta(minutes=minutes) if start else None)
    fields = {"title": f"Talk {n}", "slug": f"talk-{n}"} | fields
    talk = Talk.objects.create(
        event=event, room=room, devroom=devroom, start=start, end=end, **fields
    )
    for position, speaker in enumerate(speakers):
        TalkSpeaker.objects.create(talk=talk, speaker=speaker, position=position)
    if speakers:  # adding a speaker is a change of the talk: its change time moved
        talk.refresh_from_db(fields=["updated"])
    return talk


def make_user(username=None, *, staff=True, superuser=False, manages=()):
    user = get_user_model().objects.create_user(
        username=username or f"user{next(_seq)}",
        password="pw",
        is_staff=staff,
        is_superuser=superuser,
    )
    for devroom in manages:
        devroom.managers.add(user)
    return user


def make_many_talks(event, count, *, rooms=10):
    """`count` talks in one devroom across `rooms` rooms, each with its own speaker and a
    shared "busy-speaker"; bulk-created so a thousand take well under a second."""
    room_rows = [make_room(event) for _ in range(rooms)]
    devroom = make_devroom(event, slug="busy")
    busy = make_speaker(slug="busy-speaker")
    own = Speaker.objects.bulk_create(
        Speaker(name=f"Bulk speaker {n}", slug=f"bulk-speaker-{n}") for n in range(count)
    )
    start = brussels(2014, 2, 1, 9)
    talks = Talk.objects.bulk_create(
        Talk(
            event=event,
            room=room_rows[n % rooms],
            devroom=devroom,
            title=f"Bulk talk {n}",
            slug=f"bulk-{n}",
            start=start + dt.timedelta(minutes=5 * (n // rooms)),
            end=start + dt.timedelta(minutes=5 * (n // rooms) + 5),
        )
        for n in range(count)
    )
    TalkSpeaker.objects.bulk_create(
        [TalkSpeaker(talk=t, speaker=own[n], position=0) for n, t in enumerate(talks)]
        + [TalkSpeaker(talk=t, speaker=busy, position=1) for t in talks]
    )
    if connection.vendor == "postgresql":
        # As an import does after writing: fresh statistics, so the planner does not read a
        # thousand rows (and a suite's worth of dead ones) as if the tables were empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE talks_talk, talks_talkspeaker, talks_speaker")
    return room_rows, devroom, busy
