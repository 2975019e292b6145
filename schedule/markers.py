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
import itertools
import threading

from django.db import transaction

from schedule import caching
from schedule.models import ChangeMarker, Event, whole_second_now

SITE = "site"
ONE_SECOND = dt.timedelta(seconds=1)
_batch = threading.local()
_tokens = itertools.count()


def _next(previous: dt.datetime | None) -> dt.datetime:
    now = whole_second_now()
    return now if previous is None or now > previous else previous + ONE_SECOND


def _transaction_token(connection):
    """What identifies the transaction in progress as other requests will see it: None in
    autocommit, else the savepoint id of the outermost block the application opened (a
    test case's own wrapping transaction does not count), "" for a real outermost one."""
    for depth, block in enumerate(connection.atomic_blocks):
        if getattr(block, "_from_testcase", False):
            continue
        if depth == 0:
            return ""
        sid = connection.savepoint_ids[depth - 1]
        if sid is None:  # atomic(savepoint=False) inside a test case's transaction
            if not hasattr(block, "_marker_token"):
                block._marker_token = f"block-{next(_tokens)}"
            sid = block._marker_token
        return sid
    return None


def _not_yet_in_this_transaction(keys: set) -> set:
    """The keys not bumped yet by the transaction in progress (all of them outside one).

    Other requests only ever see committed states, so one bump per transaction is enough;
    this keeps an admin save with its inlines from moving the marker once per row. A no-op
    on_commit hook of ours tells whether that transaction is still the same one (Django
    drops hooks on commit, on rollback and on the rollback of the savepoint they were
    registered in, so a rolled-back bump is done again).
    """
    connection = transaction.get_connection()
    token = _transaction_token(connection)
    if token is None:
        return keys
    state = getattr(_batch, "tx", None)
    registered = state is not None and any(h[1] is state[1] for h in connection.run_on_commit)
    if not registered or state[0] != token:

        def hook():
            pass

        transaction.on_commit(hook)
        state = _batch.tx = (token, hook, set())
    fresh = keys - state[2]
    state[2].update(fresh)
    return fresh


def bump_events_of(rows, resolve) -> None:
    """Bump the events that `resolve(rows)` names (e.g. the events of some speakers). In a
    batch the rows are collected and resolved once at its end: one query, not one per row."""
    pending = getattr(_batch, "later", None)
    if pending is not None:
        pending.setdefault(resolve, set()).update(rows)
        return
    bump_events(resolve(rows))


def bump_events(event_ids) -> None:
    """Move the markers of these events, and the site's (pages spanning editions)."""
    ids = {pk for pk in event_ids if pk}
    pending = getattr(_batch, "event_ids", None)
    if pending is not None:
        pending |= ids
        _batch.site = True
        return
    ids = _not_yet_in_this_transaction(ids)
    if not ids:
        return
    with transaction.atomic():
        events = Event.objects.select_for_update().filter(pk__in=ids).only("changed", "slug")
        slugs = []
        for event in events:
            Event.objects.filter(pk=event.pk).update(changed=_next(event.changed))
            slugs.append(event.slug)
        bump_site()
        caching.forget_markers(slugs)


def bump_site() -> None:
    if getattr(_batch, "event_ids", None) is not None:
        _batch.site = True
        return
    if not _not_yet_in_this_transaction({SITE}):
        return
    with transaction.atomic():
        marker = ChangeMarker.objects.select_for_update().filter(key=SITE).first()
        if marker is None:
            ChangeMarker.objects.create(key=SITE)
        else:
            ChangeMarker.objects.filter(pk=marker.pk).update(changed=_next(marker.changed))
        caching.forget_markers([])


@contextlib.contextmanager
def batched(*event_ids):
    """Collect bumps while the block runs; bump each touched event once when it ends."""
    if getattr(_batch, "event_ids", None) is not None:  # nested: the outer batch bumps
        _batch.event_ids |= {pk for pk in event_ids if pk}
        yield
        return
    _batch.event_ids, _batch.site = {pk for pk in event_ids if pk}, bool(event_ids)
    _batch.later = {}
    try:
        yield
    except BaseException:
        _batch.event_ids = _batch.later = None
        raise
    touched, site, later = _batch.event_ids, _batch.site, _batch.later
    _batch.event_ids = _batch.later = None
    for resolve, rows in later.items():
        touched |= set(resolve(rows))
    if touched:
        bump_events(touched)
    elif site:
        bump_site()
