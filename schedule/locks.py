"""One lock order for every write to the schedule, so that no two writers can each hold
what the other waits for (a deadlock):

1. event rows, by id: imports (places.upsert_event), admin saves of talks, speakers, rooms,
   devrooms and events (schedule.edit_guard), speaker merges and splits (talks.people) and
   release publishing take them first;
2. the talk's own row (edit_guard; the importer's re-read in interchange.apply);
3. its room, then its speakers by id (talks.models.integrity, the clash check);
4. the event's change marker last (schedule.markers bumps it at the end of the write).

Holding the event's row makes the writers of one event take turns: an admin save during an
import waits for the import (about a second for FOSDEM) instead of each holding half of
what the other needs. Waiting is bounded by PostgreSQL's lock_timeout (settings); a save
that gives up says so in its form, input kept. Agendas and room states lock only their
own rows and never a schedule row. A deadlock, should one still happen, is retried once
(edit_guard.LostEditGuardAdmin, interchange.importers).
"""

from django.db import OperationalError

from schedule.models import Event
from schedule.outage import busy_state


def lock_events(event_ids, using=None) -> None:
    """Step 1: the events' rows, in id order, held to the end of the transaction."""
    ids = sorted({pk for pk in event_ids if pk})
    if ids:
        rows = Event.objects.using(using).select_for_update().filter(pk__in=ids).order_by("pk")
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
    """`work()`, again once if the database broke a deadlock by cancelling it (its
    transaction was rolled back whole, so running it again is safe)."""
    try:
        return work()
    except OperationalError as error:
        if busy_state(error) != "deadlock":
            raise
    return work()
