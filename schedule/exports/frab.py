"""Talks -> frab/Pentabarf-shaped data (conference -> days -> rooms -> events), shaped once
so schedule.json (this data, dumped) and schedule.xml (frab_xml) never disagree. Targets
the strict c3voc contracts: the schedule.xml XSD and the schedule.json JSON Schema."""

import datetime as dt
import re
import uuid
from collections.abc import Iterable

from anyascii import anyascii
from django.conf import settings
from django.utils.text import slugify

from schedule import local_time
from schedule.models import Event
from schedule.place_rows import devroom_rows, room_rows
from schedule.text import clean_text
from talks.models import TalkLink

XML_ONLY = "pentabarf"  # the document's key for what only schedule.xml carries
CANCELLED_PREFIX = "CANCELLED: "
LINK_TYPES = {
    TalkLink.Kind.SLIDES: "slides",
    TalkLink.Kind.VIDEO: "media",
    TalkLink.Kind.RECORDING: "media",
}  # any other kind: "web"
SLUG_OK = re.compile(r"^[a-z0-9_]{4,}-[a-z0-9\-_]{3,}[a-z0-9]$")


def acronym(event: Event) -> str:
    """The event slug in the shape both contracts accept (fosdem-2014 -> fosdem_2014)."""
    return event.slug.replace("-", "_").lower()


PLAIN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # what slugify() leaves as it is


def export_slug(prefix: str, frab_id: int, slug: str) -> str:
    """frab style <acronym>-<id>-<slug> (`prefix` is "<acronym>-"), which the importer
    strips back to <slug>."""
    own = slug if PLAIN_SLUG.fullmatch(slug) else slugify(slug).lower()
    text = f"{prefix}{frab_id}-{own}".strip("-_")
    return text if SLUG_OK.match(text) else f"{prefix}{frab_id}-talk"


def track_slug(slug: str) -> str:
    """A devroom slug as both contracts accept it: a letter, then letters, digits and single
    hyphens ("a_b" -> "a-b", "3d-printing" -> "t-3d-printing", "x" -> "x-track")."""
    text = re.sub(r"[^a-z0-9]+", "-", anyascii(slug or "").lower()).strip("-")
    if not text[:1].isalpha():
        text = f"t-{text}".rstrip("-")
    return text if len(text) >= 2 else f"{text}-track"


def room_guid(room_slug: str, event: Event) -> str:
    """From names that move with the data (not the row id), so it survives a restore."""
    name = f"{settings.SCHEDULE_UID_DOMAIN}/{event.slug}/rooms/{room_slug}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def schedule_data(
    event: Event, talks: Iterable, *, base_url: str, version: str, entries: dict
) -> dict:
    """The whole frab document as plain data (the JSON export is exactly this). `talks` are
    TalkRows (pk, start, end, room_id); `entries` gives each talk's entry by pk: its data
    (schedule.exports.frab_talks) or its ready text (a piece, see schedule.pieces)."""
    talks = [talk for talk in talks if talk.start is not None and talk.end is not None]
    rooms = room_rows(event.pk)  # (pk, slug, name, building, floor, capacity), display order
    room_order = {room[0]: index for index, room in enumerate(rooms)}
    room_names = {room[0]: room[2] for room in rooms}
    days = []
    for index, day in enumerate(event.days, start=1):
        day_start, day_end = event.day_bounds(day)
        # In UTC, the talks' own zone: same-tzinfo comparisons skip per-zone offset lookups.
        lower, upper = day_start.astimezone(dt.UTC), day_end.astimezone(dt.UTC)
        todays = [t for t in talks if lower <= t.start < upper]
        todays.sort(key=lambda t: (room_order.get(t.room_id, len(room_order)), t.start))
        # Every room on every day, as frab and Pentabarf list them (apps show empty rooms).
        by_room: dict[str, list] = {name: [] for name in room_names.values()}
        for talk in todays:
            by_room.setdefault(room_names.get(talk.room_id, ""), []).append(entries[talk.pk])
        if todays:
            day_start = local_time.in_zone(min(t.start for t in todays), event.tzinfo)
            day_end = local_time.in_zone(max(t.end for t in todays), event.tzinfo)
        days.append(
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": local_time.iso(day_start),
                "day_end": local_time.iso(day_end),
                "rooms": by_room,
            }
        )
    conference = {
        "acronym": acronym(event),
        **({"logo": event.logo} if event.logo else {}),
        "title": clean_text(event.name),
        "start": event.start_date.isoformat(),
        "end": event.end_date.isoformat(),
        "daysCount": len(event.days),
        "timeslot_duration": "00:05",
        "time_zone_name": event.timezone,
        "url": base_url + event.get_absolute_url(),
        "tracks": [
            {"name": clean_text(name), "slug": track_slug(slug), "color": colour}
            for _pk, slug, name, colour in devroom_rows(event.pk)
        ],
        "rooms": [
            dict(name=name, slug=track_slug(slug), guid=room_guid(slug, event), capacity=capacity)
            for _pk, slug, name, _building, _floor, capacity in rooms
        ],
        "days": days,
    }
    return {
        # schedule.xml only (pieces.frab_json drops them): ConfClerk and the companion apps
        # read them, the JSON schema refuses them.
        XML_ONLY: {
            "venue": clean_text(event.venue),
            "city": clean_text(event.city),
            "day_change": f"{event.day_change or dt.time.min:%H:%M:%S}",
        },
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": "conference-schedule", "version": "0.1"},
        "schedule": {"version": version, "base_url": base_url + "/", "conference": conference},
    }
