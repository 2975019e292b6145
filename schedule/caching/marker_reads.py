"""Reading the change markers (schedule.markers moves them): the event's by URL slug, and
the site's, from the cache when there, else one small query."""

import dataclasses
import datetime as dt
import time

from django.db import transaction

from schedule.caching.access import (
    cache_delete_many,
    cache_get,
    cache_set,
    marker_seconds,
    shared_cache,
)
from schedule.models import ChangeMarker, Event

SITE_KEY = "marker:site"


@dataclasses.dataclass(frozen=True)
class Marker:
    """What a response depends on: an event (by id) or the whole site, and when it changed."""

    scope: str
    changed: dt.datetime
    event_id: int | None = None


def event_key(slug: str) -> str:
    return f"marker:event:{slug}"


# With a shared cache, a marker read is a network round trip on every request, as long as
# serving the stored body itself; each process keeps what it read for MEMO_SECONDS (a few
# reads a second instead of thousands under load). An edit made elsewhere is then seen that
# much later at most (one made in this process at once:
# forget_markers), still within the second the cache promises.
MEMO_SECONDS = 0.1
_memo: dict[str, tuple[object, float]] = {}


def _read(key: str):
    if not shared_cache():
        return cache_get(key)  # local memory already: kept 0.5 s (marker_seconds)
    kept = _memo.get(key)
    if kept is not None and kept[1] > time.monotonic():
        return kept[0]
    value = cache_get(key)
    if value is not None:
        _keep(key, value)
    return value


def _keep(key: str, value) -> None:
    if shared_cache():
        if len(_memo) > 10_000:
            _memo.clear()
        _memo[key] = (value, time.monotonic() + MEMO_SECONDS)


def forget_kept_markers() -> None:
    _memo.clear()


def _forget(keys) -> None:
    for key in keys:
        _memo.pop(key, None)
    cache_delete_many(keys)


def event_marker(slug: str) -> Marker | None:
    """The event's change marker by URL slug; None for an unknown event."""
    value = _read(event_key(slug))
    if value is None:
        row = Event.objects.filter(slug=slug).values_list("pk", "changed").first()
        if row is None:
            return None
        value = (row[0], row[1].timestamp())
        cache_set(event_key(slug), value, marker_seconds())
        _keep(event_key(slug), value)
    event_id, stamp = value
    return Marker(f"event:{event_id}", dt.datetime.fromtimestamp(stamp, dt.UTC), event_id)


def site_marker() -> Marker:
    """The site-wide marker (speaker pages and feeds, the list of editions)."""
    stamp = _read(SITE_KEY)
    if stamp is None:
        changed = ChangeMarker.objects.filter(key="site").values_list("changed", flat=True)
        changed = changed.first() or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        stamp = changed.timestamp()
        cache_set(SITE_KEY, stamp, marker_seconds())
        _keep(SITE_KEY, stamp)
    return Marker("site", dt.datetime.fromtimestamp(stamp, dt.UTC))


def forget_markers(event_slugs) -> None:
    """Drop cached copies of these events' markers (and the site's), now and again once
    the transaction that moved them commits (a request in between may have cached the old
    value; before the commit it cannot see the new one)."""
    keys = [SITE_KEY, *(event_key(slug) for slug in event_slugs)]
    _forget(keys)
    transaction.on_commit(lambda: _forget(keys))
