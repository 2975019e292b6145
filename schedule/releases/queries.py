"""Reading releases for pages, feeds and exports (a few small queries each)."""

import datetime as dt
import uuid

from django.utils.dateparse import parse_datetime

from schedule.models import Event
from schedule.releases.models import Change, Release


class UnknownRelease(LookupError):
    """A version name or time that names no release; the message says why."""


def release_named(event: Event, version: str) -> Release:
    release = Release.objects.filter(event=event, version=version).first()
    if release is None:
        known = ", ".join(event.releases.values_list("version", flat=True)[:20]) or "none yet"
        raise UnknownRelease(f"{event} has no release “{version}” (releases: {known}).")
    return release


def release_at(event: Event, since: str) -> Release | None:
    """The release named `since`, or the one current at the ISO time `since` (None if the
    time is before the first release)."""
    moment = parse_datetime(since) if "T" in since or " " in since else None
    if moment is None:
        try:
            day = dt.date.fromisoformat(since)
        except ValueError:
            return release_named(event, since)
        moment = dt.datetime.combine(day, dt.time.min, tzinfo=event.tzinfo)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=event.tzinfo)
    return Release.objects.filter(event=event, published__lte=moment).first()  # the latest


def latest_release_changes(event: Event | int):
    """The Change rows of the event's (or event id's) latest release (a lazy queryset)."""
    latest = Release.objects.filter(event=event).order_by("-published", "-pk").values("pk")[:1]
    return Change.objects.filter(release__in=latest)


def latest_changed_guids(event: Event) -> set[uuid.UUID]:
    """Guids of the talks that changed in the event's latest release (one query: every
    list, grid, place and search page asks, mostly to hear "none")."""
    return {
        value if isinstance(value, uuid.UUID) else uuid.UUID(value)  # SQLite: hex digits
        for value in latest_release_changes(event.pk).values_list("talk_guid", flat=True)
    }


def last_move(talk) -> Change | None:
    """The latest release change that moved or cancelled this talk (for its page)."""
    return (
        Change.objects.filter(talk_guid=talk.guid, kind__in=["moved", "cancelled"])
        .select_related("release")
        .order_by("-release__published", "-pk")
        .first()
    )
