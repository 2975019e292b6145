"""Every write to the programme says which events it touched, whatever path it takes.

The programme models' managers are built on `MarkedQuerySet`, whose bulk write paths
(`update`, `delete`, `bulk_create`, `bulk_update`) send `events_written` with the ids of the
events whose pages the rows appear on, and so do `save()` and `delete()` of one row
(`MarkedModel`). schedule.markers moves those events' change markers on it (and on
`loaddata`'s raw saves), so no caller has to remember to. Writes that bypass the ORM (raw
SQL) are followed by `manage.py touch_events`. A test walks every programme model and write path
(tests/schedule/test_freshness.py) and fails for a model whose manager is not marked.

This module imports nothing of the project: the models import it, and the markers listen.
"""

import contextlib
import threading

from django.db import models
from django.dispatch import Signal

# sender: the model written; event_ids: the events touched; site: pages spanning events too.
events_written = Signal()
_batch = threading.local()


def written(event_ids=(), site: bool = False, sender=None) -> None:
    """Report a write: collected while a batch runs, else sent at once."""
    event_ids = set(event_ids) - {None}
    if getattr(_batch, "event_ids", None) is not None:
        _batch.event_ids |= event_ids
        _batch.site = _batch.site or site or bool(event_ids)
        return
    if event_ids or site:
        events_written.send(sender=sender, event_ids=event_ids, site=site or bool(event_ids))


@contextlib.contextmanager
def batched(*event_ids):
    """One report for everything written in the block (an import, a merge, an admin save
    with its inlines, a talk deleted with its speakers' rows), sent when it ends, inside the
    caller's transaction. Nested blocks join the outer one."""
    if getattr(_batch, "event_ids", None) is not None:
        _batch.event_ids |= set(event_ids) - {None}
        yield
        return
    _batch.event_ids, _batch.site = set(event_ids) - {None}, bool(event_ids)
    try:
        yield
    except BaseException:
        _batch.event_ids = None
        raise
    touched, site = _batch.event_ids, _batch.site
    _batch.event_ids = None
    written(touched, site)


class MarkedModel(models.Model):
    """A programme model: one save or delete reports the events its row appears in, and
    everything it sets off (cascades, receivers) joins that one report."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with batched():
            super().save(*args, **kwargs)
            self.report_written()

    save.alters_data = True

    def delete(self, *args, **kwargs):
        with batched():
            self.report_written()  # while the row still leads to its events
            return super().delete(*args, **kwargs)

    delete.alters_data = True

    def report_written(self) -> None:
        rows = type(self)._default_manager
        path = rows._queryset_class.event_path
        if "__" in path:
            event_ids = rows.filter(pk=self.pk).touched_events()
        else:
            event_ids = {getattr(self, path)}
        written(event_ids, rows._queryset_class.spans_site, sender=type(self))


class MarkedQuerySet(models.QuerySet):
    """A programme model's QuerySet. `event_path` leads from a row to its event's id (a
    field path for values_list); `spans_site`: its rows show on pages of every edition
    (speakers)."""

    event_path = "event_id"
    spans_site = False

    def touched_events(self) -> set[int]:
        return set(self.values_list(self.event_path, flat=True)) - {None}

    def events_of(self, objs) -> set[int]:
        """The events of rows in memory (after a bulk write), in one query at most."""
        first, _, rest = self.event_path.partition("__")
        if not rest:
            return {getattr(obj, first) for obj in objs} - {None}
        field = self.model._meta.get_field(first)
        if field.many_to_one:  # a foreign key: follow it from the ids the rows hold
            ids = {getattr(obj, field.attname) for obj in objs} - {None}
            rows = field.related_model._base_manager.filter(pk__in=ids)
            return set(rows.values_list(rest, flat=True)) - {None}
        rows = self.model._base_manager.filter(pk__in=[obj.pk for obj in objs if obj.pk])
        return set(rows.values_list(self.event_path, flat=True)) - {None}

    def written(self, event_ids) -> None:
        written(event_ids, self.spans_site, sender=self.model)

    def update(self, **kwargs):
        before = self.touched_events()
        rows = super().update(**kwargs)
        if rows:
            self.written(before | self.touched_events())  # also a row moved to another event
        return rows

    update.alters_data = True

    def delete(self):
        before = self.touched_events()
        deleted = super().delete()
        if deleted[0]:
            self.written(before)
        return deleted

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            self.written(self.events_of(created))
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if rows:
            self.written(self.events_of(objs))
        return rows

    bulk_update.alters_data = True
