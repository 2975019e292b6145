"""Event-local times, formatted in one place so a talk reads the same everywhere."""

import datetime as dt

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
