"""Talks -> icalendar.Calendar. Pure functions: the views choose the talks."""

import datetime as dt
from collections.abc import Iterable

import icalendar

from schedule.models import Event
from schedule.text import markdown_to_text
from talks.models import Talk

PRODID = "-//Conference Schedule//{kind}//EN"
DURING_EVENT_TTL = dt.timedelta(hours=1)
OTHERWISE_TTL = dt.timedelta(days=1)


def talk_uid(talk: Talk) -> str:
    """Stored on the talk (<guid>@domain, or talk-<pk>@domain for talks published before
    UIDs were stored), so it survives re-imports, restores and moves between databases."""
    return talk.uid


def calendar_time(moment: dt.datetime) -> dt.datetime:
    """Local time with its zone, except in the hour repeated when clocks go back: a local
    time there names two instants and clients take the first (RFC 5545), so the second
    instant is written in UTC."""
    if moment.fold and moment.replace(fold=0).utcoffset() != moment.utcoffset():
        return moment.astimezone(dt.UTC)
    return moment


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
            markdown_to_text(talk.abstract),
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
    vevent.add("dtstart", calendar_time(talk.local_start))
    vevent.add("dtend", calendar_time(talk.local_end))
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
