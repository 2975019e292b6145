"""Talks -> frab/Pentabarf-shaped data. JSON dumps it; templates/schedule/frab.xml renders it.

Shaped once (conference -> days -> rooms -> events) so the XML and JSON never disagree.
Targets the strict c3voc contracts (schedule.xml XSD, schedule.json JSON Schema).
"""

import datetime as dt
import re
import uuid
from collections import OrderedDict
from collections.abc import Iterable

from anyascii import anyascii
from django.conf import settings
from django.utils.text import slugify

from schedule.models import Event, Room
from schedule.text import clean_text
from talks.identity import LOCAL_ID_BASE
from talks.models import Talk, TalkLink

FORMAT_VERSION = "1.0"
CANCELLED_PREFIX = "CANCELLED: "
LINK_TYPES = {
    TalkLink.Kind.SLIDES: "slides",
    TalkLink.Kind.VIDEO: "media",
    TalkLink.Kind.RECORDING: "media",
    TalkLink.Kind.OTHER: "web",
}
SLUG_OK = re.compile(r"^[a-z0-9_]{4,}-[a-z0-9\-_]{3,}[a-z0-9]$")


def hours_minutes(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def acronym(event: Event) -> str:
    """The event slug in the shape both contracts accept (fosdem-2014 -> fosdem_2014)."""
    return event.slug.replace("-", "_").lower()


PLAIN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # what slugify() leaves as it is


def export_slug(talk: Talk) -> str:
    """frab style <acronym>-<id>-<slug>, which the importer strips back to <slug>."""
    own = talk.slug if PLAIN_SLUG.fullmatch(talk.slug) else slugify(talk.slug).lower()
    slug = f"{acronym(talk.event)}-{talk.frab_id}-{own}".strip("-_")
    return slug if SLUG_OK.match(slug) else f"{acronym(talk.event)}-{talk.frab_id}-talk"


def track_slug(slug: str) -> str:
    """A devroom slug in the shape both contracts accept: lower-case letters, digits and
    single hyphens, starting with a letter, at least two characters ("_" and other
    characters become "-"; "3d-printing" becomes "t-3d-printing"; "x" becomes "x-track")."""
    text = re.sub(r"[^a-z0-9]+", "-", anyascii(slug or "").lower()).strip("-")
    if not text[:1].isalpha():
        text = f"t-{text}".rstrip("-")
    return text if len(text) >= 2 else f"{text}-track"


def person_id(speaker) -> int:
    """The id the person has in the event's series (attached by TalkQuerySet.export_list),
    else one from the local range."""
    number = speaker.series_number
    return number if number is not None else LOCAL_ID_BASE + speaker.pk


def room_guid(room: Room, event: Event) -> str:
    """From names that move with the data (not the row id), so it survives a restore."""
    name = f"{settings.SCHEDULE_UID_DOMAIN}/{event.slug}/rooms/{room.slug}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def shape_talk(talk: Talk, base_url: str) -> dict:
    start = talk.local_start
    title = clean_text(talk.title)
    return {
        "guid": str(talk.guid),
        "id": talk.frab_id,
        "date": start.isoformat(),
        "start": start.strftime("%H:%M"),
        "duration": hours_minutes(talk.duration),
        "room": talk.room.name if talk.room else "",
        "slug": export_slug(talk),
        "url": base_url + talk.get_absolute_url(),
        "title": CANCELLED_PREFIX + title if talk.is_cancelled else title,
        "subtitle": clean_text(talk.subtitle),
        "track": talk.devroom.name if talk.devroom else "",
        "type": talk.kind,
        "language": talk.language,
        "abstract": clean_text(talk.abstract),
        "description": clean_text(talk.description),
        "persons": [
            {
                "id": person_id(speaker),
                "name": clean_text(speaker.name),
                "biography": clean_text(speaker.bio),
            }
            for speaker in talk.ordered_speakers
        ],
        "links": [
            {
                "type": LINK_TYPES.get(link.kind, "web"),
                "url": link.url,
                "title": clean_text(link.title),
            }
            for link in talk.ordered_links
        ],
    }


def schedule_data(
    event: Event,
    talks: Iterable[Talk],
    *,
    rooms: Iterable[Room],
    devrooms,
    base_url: str,
    version: str,
    entries: dict | None = None,
) -> dict:
    """The whole frab document as plain data (the JSON export is exactly this).

    `talks` are Talk objects, or rows with pk, start, end and room_id when `entries` gives
    each talk's ready entry (a piece of text, see schedule.fragments) by pk."""
    talks = [talk for talk in talks if talk.start is not None and talk.end is not None]
    rooms = list(rooms)
    room_order = {room.pk: index for index, room in enumerate(rooms)}
    room_names = {room.pk: room.name for room in rooms}
    days = []
    for index, day in enumerate(event.days, start=1):
        day_start, day_end = event.day_bounds(day)
        todays = [t for t in talks if day_start <= t.start < day_end]
        todays.sort(key=lambda t: (room_order.get(t.room_id, len(room_order)), t.start))
        by_room: OrderedDict[str, list] = OrderedDict()
        for talk in todays:
            entry = entries[talk.pk] if entries is not None else shape_talk(talk, base_url)
            by_room.setdefault(room_names.get(talk.room_id, ""), []).append(entry)
        if todays:
            day_start = min(t.start for t in todays).astimezone(event.tzinfo)
            day_end = max(t.end for t in todays).astimezone(event.tzinfo)
        days.append(
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": day_start.isoformat(),
                "day_end": day_end.isoformat(),
                "rooms": by_room,
            }
        )
    conference = {
        "acronym": acronym(event),
        "title": clean_text(event.name),
        "start": event.start_date.isoformat(),
        "end": event.end_date.isoformat(),
        "daysCount": len(event.days),
        "timeslot_duration": "00:05",
        "time_zone_name": event.timezone,
        "url": base_url + event.get_absolute_url(),
        "tracks": [
            {"name": clean_text(d.name), "slug": track_slug(d.slug), "color": d.colour}
            for d in devrooms
        ],
        "rooms": [
            {
                "name": room.name,
                "slug": track_slug(room.slug),
                "guid": room_guid(room, event),
                "capacity": room.capacity,
            }
            for room in rooms
        ],
        "days": days,
    }
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": "conference-schedule", "version": "0.1"},
        "schedule": {
            "version": version,
            "base_url": base_url + "/",
            "conference": conference,
        },
    }
