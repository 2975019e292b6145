"""Talks -> an iCalendar file (RFC 5545); pure functions, the views choose the talks.
Written as text, not through icalendar's object model, which is too slow for whole-event
feeds that hundreds of calendar apps poll; the tests parse every feed back with icalendar."""

import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterable

import icalendar

from schedule import local_time
from schedule.models import Event
from talks.models import Talk

FOLD_AT = 75  # octets per line, without the CRLF


def text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newline escaped, CR dropped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r", "")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """One content line folded at 75 octets, never inside a UTF-8 character."""
    if line.isascii():  # one octet a character: cut by slicing
        if len(line) <= FOLD_AT:
            return line + "\r\n"
        rest = range(FOLD_AT, len(line), FOLD_AT - 1)  # continuation lines start with a space
        return "\r\n ".join([line[:FOLD_AT], *(line[i : i + FOLD_AT - 1] for i in rest)]) + "\r\n"
    data = line.encode()
    if len(data) <= FOLD_AT:
        return line + "\r\n"
    parts, start, limit = [], 0, FOLD_AT
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # continuation byte
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, FOLD_AT - 1  # continuation lines start with a space
    return "\r\n ".join(parts) + "\r\n"


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def when(name: str, moment: dt.datetime, tz) -> str:
    """DTSTART/DTEND in the event's zone `tz`, except in the hour repeated when clocks go
    back: a local time there names two instants, and clients disagree about which they
    take (khal, calcurse, libical and ical.js all read the second), so either instant is
    written in UTC."""
    local = local_time.in_zone(moment, tz)
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        return f"{name}:{utc(moment)}"
    return f"{name};TZID={tz.key}:{local:%Y%m%dT%H%M%S}"


def refresh_interval(events: Iterable[Event], now: dt.datetime) -> str:
    """Poll hourly from a week before an event to its end, daily otherwise (a DURATION)."""
    soon = any(event.starts_at - dt.timedelta(days=7) <= now <= event.ends_at for event in events)
    return "PT1H" if soon else "P1D"


def description(talk: Talk, url: str) -> str:
    speakers = ", ".join(s.name for s in talk.ordered_speakers)
    parts = (
        talk.subtitle,
        talk.abstract_text,
        f"Speakers: {speakers}" if speakers else "",
        "This talk has been cancelled." if talk.is_cancelled else "",
        url,
    )
    return "\n\n".join(part for part in parts if part)


def talk_events(talks: Iterable[Talk], base_url: str) -> dict[int, str]:
    """Talk id -> its VEVENT; talks share few times, so each time is written once."""
    stamp, dated = functools.cache(utc), functools.cache(when)
    return {talk.pk: talk_event(talk, base_url, stamp, dated) for talk in talks}


def talk_event(talk: Talk, base_url: str, stamp, dated) -> str:
    """One VEVENT as folded text, times written by `stamp` (utc) and `dated` (when); times
    carry the event's TZID."""
    url = base_url + talk.get_absolute_url()
    cancelled = talk.is_cancelled
    changed = stamp(talk.updated)
    tz = talk.event.tzinfo
    categories = [c for c in (talk.devroom.name if talk.devroom else "", talk.kind_label) if c]
    # Fixed-shape lines are always under 75 octets, so they skip fold().
    parts = [
        "BEGIN:VEVENT\r\n",
        fold(f"UID:{text(talk.uid)}"),  # stored: survives re-imports and restores
        f"DTSTAMP:{changed}\r\nCREATED:{stamp(talk.created)}\r\nLAST-MODIFIED:{changed}\r\n"
        f"SEQUENCE:{talk.sequence}\r\n",
        fold(dated("DTSTART", talk.start, tz)),  # a zone's name may be long
        fold(dated("DTEND", talk.end, tz)),
        fold("SUMMARY:" + text(f"{talk.title} (cancelled)" if cancelled else talk.title)),
        fold("DESCRIPTION:" + text(description(talk, url))),
    ]
    if talk.room:
        parts.append(fold("LOCATION:" + text(talk.room.location)))
    parts.append(fold(f"URL:{url}"))
    if categories:
        parts.append(fold("CATEGORIES:" + ",".join(text(c) for c in categories)))
    if cancelled:
        parts.append("STATUS:CANCELLED\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n")
    else:
        parts.append("STATUS:CONFIRMED\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\n")
    return "".join(parts)


@functools.lru_cache(maxsize=64)
def vtimezone(zone: str, first_year: int, last_year: int) -> str:
    """The zone's VTIMEZONE from a year before to a year after the talks, from icalendar."""
    component = icalendar.Timezone.from_tzinfo(
        zoneinfo.ZoneInfo(zone),
        first_date=dt.date(first_year, 1, 1),
        last_date=dt.date(last_year, 12, 31),
    )
    return component.to_ical().decode()


def assemble(
    vevents: list[bytes], spans: Iterable[tuple], *, name: str, events, now: dt.datetime, kind: str
) -> bytes:
    """The calendar around ready VEVENT texts; `spans` (zone, start, end) of the talks
    choose the VTIMEZONEs."""
    events = list(events)
    ttl = refresh_interval(events, now)
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Conference Schedule//{kind}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + text(name),
    ]
    if events:
        head.append(f"X-WR-TIMEZONE:{events[0].timezone}")
    head += [f"REFRESH-INTERVAL;VALUE=DURATION:{ttl}", f"X-PUBLISHED-TTL:{ttl}"]
    zones: dict[str, tuple[int, int]] = {}
    for zone, start, end in spans:
        years = zones.get(zone, (start.year, start.year))
        zones[zone] = (min(years[0], start.year), max(years[1], end.year))
    timezones = [
        vtimezone(zone, first - 1, last + 1) for zone, (first, last) in sorted(zones.items())
    ]
    # Each VEVENT encoded on its own: one emoji in a joined str would make Python store
    # the whole calendar at four bytes a character.
    start = "".join(fold(line) for line in head) + "".join(timezones)
    return b"".join([start.encode(), *vevents, b"END:VCALENDAR\r\n"])
