"""One lock order for every write to the schedule (event rows by id, the talk, its room and
speakers by id, the change marker last). Rules: docs/operations.md#operations-on-the-busiest-day"""

from django.db import OperationalError

from schedule.models import Event
from schedule.outage import busy_state


def lock_events(event_ids) -> None:
    """Step 1: the events' rows, in id order, held to the end of the transaction."""
    ids = sorted({pk for pk in event_ids if pk})
    if ids:
        rows = Event.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        list(rows.values_list("pk", flat=True))


def events_of(row) -> list[int]:
    """The events a row's save writes to: its own, or a speaker's (every event they speak at)."""
    if isinstance(row, Event):
        return [row.pk]
    if getattr(row, "event_id", None):
        return [row.event_id]
    talks = getattr(row, "talks", None)
    if row.pk and talks is not None:
        return list(talks.values_list("event_id", flat=True).distinct())
    return []


def retried_once_on_deadlock(work):
    """`work()`, again once if the database broke a deadlock (the rollback makes that safe)."""
    try:
        return work()
    except OperationalError as error:
        if busy_state(error) != "deadlock":
            raise
    return work()
