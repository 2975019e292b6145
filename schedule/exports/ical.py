"""Talks -> icalendar.Calendar. Pure functions: the views choose the talks."""

import datetime as dt
from collections.abc import Iterable

import icalendar
import nh3
from django.conf import settings

from schedule.models import Event
from talks.models import Talk

PRODID = "-//Conference Schedule//{kind}//EN"
DURING_EVENT_TTL = dt.timedelta(hours=1)
OTHERWISE_TTL = dt.timedelta(days=1)


def talk_uid(talk: Talk) -> str:
    """Never changes for a talk: built from its primary key, not from anything editable."""
    return f"talk-{talk.pk}@{settings.SCHEDULE_UID_DOMAIN}"


def plain_text(markdown_text: str) -> str:
    """Abstracts are Markdown that may contain HTML; calendars want plain text."""
    return nh3.clean(markdown_text or "", tags=set()).strip()


def refresh_interval(events: Iterable[Event], now: dt.datetime) -> dt.timedelta:
    """Poll hourly from a week before an event to its end, daily otherwise."""
    for event in events:
        if event.starts_at - dt.timedelta(days=7) <= now <= event.ends_at:
            return DURING_EVENT_TTL
    return OTHERWISE_TTL


def talk_event(talk: Talk, base_url: str) -> icalendar.Event:
    """One VEVENT; times carry the event's TZID."""
    url = base_url + talk.get_absolute_url()
    speakers = ", ".join(s.name for s in talk.ordered_speakers)
    description = "\n\n".join(
        part
        for part in (
            talk.subtitle,
            plain_text(talk.abstract),
            f"Speakers: {speakers}" if speakers else "",
            "This talk has been cancelled." if talk.is_cancelled else "",
            url,
        )
        if part
    )
    vevent = icalendar.Event()
    vevent.add("uid", talk_uid(talk))
    vevent.add("dtstamp", talk.updated)
    vevent.add("created", talk.created)
    vevent.add("last-modified", talk.updated)
    vevent.add("sequence", talk.sequence)
    vevent.add("dtstart", talk.local_start)
    vevent.add("dtend", talk.local_end)
    title = f"{talk.title} (cancelled)" if talk.is_cancelled else talk.title
    vevent.add("summary", title)
    vevent.add("description", description)
    if talk.room:
        vevent.add("location", talk.room.location)
    vevent.add("url", url)
    categories = [
        c for c in (talk.devroom.name if talk.devroom else "", talk.get_kind_display()) if c
    ]
    vevent.add("categories", categories)
    vevent.add("status", "CANCELLED" if talk.is_cancelled else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT" if talk.is_cancelled else "OPAQUE")
    return vevent


def calendar_for(
    talks: Iterable[Talk],
    *,
    name: str,
    events: Iterable[Event],
    base_url: str,
    now: dt.datetime,
    kind: str = "Schedule",
) -> icalendar.Calendar:
    """A publishable calendar of the scheduled talks, with a VTIMEZONE per zone used."""
    events = list(events)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID.format(kind=kind))
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if events:
        calendar.add("x-wr-timezone", events[0].timezone)
    ttl = refresh_interval(events, now)
    calendar.add("refresh-interval", ttl, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(ttl))

    scheduled = [talk for talk in talks if talk.is_scheduled]  # TBA has no place here
    for talk in scheduled:
        calendar.add_component(talk_event(talk, base_url))
    if scheduled:
        # icalendar writes a VTIMEZONE for every TZID used, with the zone's rules from a
        # year before the first talk to a year after the last.
        calendar.add_missing_timezones(
            first_date=min(t.start for t in scheduled).date() - dt.timedelta(days=366),
            last_date=max(t.end for t in scheduled).date() + dt.timedelta(days=366),
        )
    return calendar
