"""Reading the change markers (schedule.markers moves them): the event's by URL slug, and
the site's, from the cache when there, else one small query."""

import dataclasses
import datetime as dt

from django.db import transaction

from schedule.caching.access import cache_delete_many, cache_get, cache_set, marker_seconds
from schedule.models import ChangeMarker, Event

SITE_KEY = "marker:site"


@dataclasses.dataclass(frozen=True)
class Marker:
    """What a response depends on: an event (by id) or the whole site, and when it changed."""

    scope: str
    changed: dt.datetime


def event_key(slug: str) -> str:
    return f"marker:event:{slug}"


def event_marker(slug: str) -> Marker | None:
    """The event's change marker by URL slug; None for an unknown event."""
    value = cache_get(event_key(slug))
    if value is None:
        row = Event.objects.filter(slug=slug).values_list("pk", "changed").first()
        if row is None:
            return None
        value = (row[0], row[1].timestamp())
        cache_set(event_key(slug), value, marker_seconds())
    event_id, stamp = value
    return Marker(f"event:{event_id}", dt.datetime.fromtimestamp(stamp, dt.UTC))


def site_marker() -> Marker:
    """The site-wide marker (speaker pages and feeds, the list of editions)."""
    stamp = cache_get(SITE_KEY)
    if stamp is None:
        changed = ChangeMarker.objects.filter(key="site").values_list("changed", flat=True)
        changed = changed.first() or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        stamp = changed.timestamp()
        cache_set(SITE_KEY, stamp, marker_seconds())
    return Marker("site", dt.datetime.fromtimestamp(stamp, dt.UTC))


def forget_markers(event_slugs) -> None:
    """Drop cached copies of these events' markers (and the site's), now and again once
    the transaction that moved them commits (a request in between may have cached the old
    value; before the commit it cannot see the new one)."""
    keys = [SITE_KEY, *(event_key(slug) for slug in event_slugs)]
    cache_delete_many(keys)
    transaction.on_commit(lambda: cache_delete_many(keys))
