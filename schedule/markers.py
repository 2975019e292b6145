"""Change markers: one per event (Event.changed) and one for the whole site.

Every feed, export and cached page is validated against a marker instead of aggregating
over its rows, so a deletion moves Last-Modified as surely as an edit, and a cached hit
costs one small read. A marker only moves forward, by at least one second each time, so two
different states never share a Last-Modified second (If-Modified-Since cannot miss a change);
bursts of edits may put it a few seconds ahead of the clock.

Saves and deletes bump markers through signals (schedule.signals, talks.signals). Bulk work
(imports, QuerySet.update) wraps itself in `batched()`, which bumps once at the end, inside
the caller's transaction.
"""

import contextlib
import datetime as dt
import threading

from django.db import transaction

from schedule.models import ChangeMarker, Event, whole_second_now

SITE = "site"
ONE_SECOND = dt.timedelta(seconds=1)
_batch = threading.local()


def _next(previous: dt.datetime | None) -> dt.datetime:
    now = whole_second_now()
    return now if previous is None or now > previous else previous + ONE_SECOND


def bump_events(event_ids) -> None:
    """Move the markers of these events, and the site's (pages spanning editions)."""
    ids = {pk for pk in event_ids if pk}
    pending = getattr(_batch, "event_ids", None)
    if pending is not None:
        pending |= ids
        _batch.site = True
        return
    with transaction.atomic():
        for event in Event.objects.select_for_update().filter(pk__in=ids).only("changed"):
            Event.objects.filter(pk=event.pk).update(changed=_next(event.changed))
        bump_site()


def bump_site() -> None:
    if getattr(_batch, "event_ids", None) is not None:
        _batch.site = True
        return
    with transaction.atomic():
        marker = ChangeMarker.objects.select_for_update().filter(key=SITE).first()
        if marker is None:
            ChangeMarker.objects.create(key=SITE)
        else:
            ChangeMarker.objects.filter(pk=marker.pk).update(changed=_next(marker.changed))


@contextlib.contextmanager
def batched(*event_ids):
    """Collect bumps while the block runs; bump each touched event once when it ends."""
    if getattr(_batch, "event_ids", None) is not None:  # nested: the outer batch bumps
        _batch.event_ids |= {pk for pk in event_ids if pk}
        yield
        return
    _batch.event_ids, _batch.site = {pk for pk in event_ids if pk}, bool(event_ids)
    try:
        yield
    except BaseException:
        _batch.event_ids = None
        raise
    touched, site = _batch.event_ids, _batch.site
    _batch.event_ids = None
    if touched:
        bump_events(touched)
    elif site:
        bump_site()


def site_changed() -> dt.datetime:
    """The site marker (created on first use)."""
    marker = ChangeMarker.objects.filter(key=SITE).values_list("changed", flat=True).first()
    if marker is None:
        marker = ChangeMarker.objects.get_or_create(key=SITE)[0].changed
    return marker
