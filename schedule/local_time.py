"""Event-local times, converted and formatted in one place so a talk reads the same
everywhere. The formats take a time already in the event's zone, or None."""

import datetime as dt
import functools

from django.utils.formats import date_format


def in_zone(moment: dt.datetime | None, tz) -> dt.datetime | None:
    return moment.astimezone(tz) if moment is not None else None


def hm(local: dt.datetime | None) -> str:
    """“09:05”, or "" without a time."""
    return f"{local.hour:02d}:{local.minute:02d}" if local is not None else ""


def iso(local: dt.datetime | None) -> str:
    """ISO 8601 with the zone's offset (what browsers and apps compare), or ""."""
    return local.isoformat() if local is not None else ""


def day_label(local: dt.datetime | None) -> str:
    """“Sat 1 Feb 2025”, or ""."""
    return date_format(local, "D j M Y") if local is not None else ""


def weekday_hm(local: dt.datetime | None) -> str:
    """“Sat 12:20”, or ""."""
    return f"{date_format(local, 'D')} {hm(local)}" if local is not None else ""


def span(start: dt.datetime, end: dt.datetime) -> str:
    """“Sat 1 Feb 2014, 12:20–13:00 CET” for two local times."""
    return f"{day_label(start)}, {hm(start)}–{hm(end)} {start.tzname()}"


def short_span(start: dt.datetime, end: dt.datetime) -> str:
    """“Sat 1 Feb 12:20–13:00” for two local times."""
    return f"{date_format(start, 'D j M')} {hm(start)}–{hm(end)}"


def duration(start: dt.datetime, end: dt.datetime) -> str:
    """“01:30” from start to end."""
    minutes = int((end - start).total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def formatter(tz, *formats):
    """moment -> (format(its time in `tz`) for each of `formats`), each moment converted
    once: a day of talks shares a few times. Make one per call, never one per module."""

    @functools.cache
    def formatted(moment: dt.datetime | None) -> tuple[str, ...]:
        local = in_zone(moment, tz)
        return tuple(format_local(local) for format_local in formats)

    return formatted


class LocalTime:
    """A descriptor: a talk's `start` or `end` in its event's zone, through one of the
    formats above (without one: the datetime)."""

    def __init__(self, field: str, formatted=None):
        self.field = field
        self.formatted = formatted

    def __get__(self, talk, owner=None):
        if talk is None:
            return self
        local = in_zone(getattr(talk, self.field), talk.event.tzinfo)
        return self.formatted(local) if self.formatted else local
