"""Change markers: one per event (Event.changed) and one for the whole site ("site"). Pages are
validated against a marker rather than their rows, so a deletion moves Last-Modified like an
edit; a marker only moves forward, by at least a second."""

import datetime as dt

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from schedule import caching
from schedule.marked import MarkedModel, batched, events_written, written
from schedule.models import ChangeMarker, Event, whole_second_now

__all__ = ["batched", "bump_events", "move_events", "move_site"]

SITE = "site"


def _next(previous: dt.datetime | None) -> dt.datetime:
    now = whole_second_now()
    return now if previous is None or now > previous else previous + dt.timedelta(seconds=1)


@receiver(events_written)
def rows_written(sender, event_ids, site, **kwargs):
    if event_ids:
        move_events(event_ids)
    elif site:
        move_site()


@receiver(post_save)
def row_loaded(sender, instance, raw, **kwargs):
    """`loaddata` saves raw, bypassing Model.save(): each row reports its events itself."""
    if raw and isinstance(instance, MarkedModel):
        rows = instance.stored()
        rows.report(*rows.where_they_stand())


def bump_events(event_ids) -> None:
    """These events changed (and with them the site's pages that span editions)."""
    written(event_ids)


def move_events(event_ids) -> None:
    """Move the markers of these events, and the site's (pages spanning editions)."""
    ids = {pk for pk in event_ids if pk}
    if not ids:
        return
    # The plain manager: moving a marker is not itself a programme change.
    rows = Event._base_manager
    with transaction.atomic():
        events = rows.select_for_update().filter(pk__in=ids).order_by("pk")
        slugs = []
        for event in events.only("changed", "slug"):
            rows.filter(pk=event.pk).update(changed=_next(event.changed))
            slugs.append(event.slug)
        move_site()
        caching.forget_markers(slugs)


def move_site() -> None:
    with transaction.atomic():
        marker = ChangeMarker.objects.select_for_update().filter(key=SITE).first()
        if marker is None:
            ChangeMarker.objects.create(key=SITE)
        else:
            ChangeMarker.objects.filter(pk=marker.pk).update(changed=_next(marker.changed))
        caching.forget_markers([])
