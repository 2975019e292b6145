"""Every programme write, whatever path it takes, reports the events it touched
(`events_written`, on which schedule.markers moves the markers). Raw SQL needs touch_events."""

import contextlib
import threading

from django.db import models
from django.dispatch import Signal
from django.utils import timezone

# sender: the model written; event_ids: the events touched; site: pages spanning events too.
events_written = Signal()
_batch = threading.local()


def written(event_ids=(), site: bool = False, sender=None) -> None:
    """Report a write: collected while a batch runs, else sent at once."""
    event_ids = set(event_ids) - {None}
    if getattr(_batch, "event_ids", None) is not None:
        _batch.event_ids |= event_ids
        _batch.site = _batch.site or site
    elif event_ids or site:
        events_written.send(sender=sender, event_ids=event_ids, site=site or bool(event_ids))


@contextlib.contextmanager
def batched(*event_ids):
    """One report for everything written in the block (an import, a merge, an admin save),
    sent when it ends, inside the caller's transaction. Nested blocks join the outer one."""
    if getattr(_batch, "event_ids", None) is not None:
        written(event_ids)
        yield
        return
    _batch.event_ids, _batch.site = set(event_ids) - {None}, False
    try:
        yield
    finally:
        touched, site = _batch.event_ids, _batch.site
        _batch.event_ids = None
    written(touched, site)


class MarkedModel(models.Model):
    """A programme model: a save or delete reports the events its row is in, before and after
    (a room moved to another edition changes both); cascades join that one report."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with batched():
            rows = self.stored()
            events, owners = (set(), set()) if self._state.adding else rows.where_they_stand()
            super().save(*args, **kwargs)
            # Just saved, the row's own foreign keys are what is stored: read from them.
            rows.report(events | rows.events_of([self]), owners | rows.owners_of([self]))

    save.alters_data = True

    def delete(self, *args, **kwargs):
        with batched():
            rows = self.stored()
            where = rows.where_they_stand()  # while the row still leads there
            deleted = super().delete(*args, **kwargs)
            rows.report(*where)  # the owner moves after the part is gone
            return deleted

    delete.alters_data = True

    def stored(self) -> "MarkedQuerySet":
        return type(self)._default_manager._queryset_class(type(self)).filter(pk=self.pk)


class MarkedQuerySet(models.QuerySet):
    """A programme model's QuerySet; every write also sets `updated`. `event_path`: from a row
    to its event id; `spans_site`: rows show on every edition's pages (speakers); `owner`:
    the foreign key to the row a part belongs to, whose `updated` moves with the part's."""

    event_path = "event_id"
    spans_site = False
    owner = None

    def where_they_stand(self) -> tuple[set[int], set[int]]:
        """The events the stored rows appear in, and the rows they belong to (owners)."""
        events = set(self.values_list(self.event_path, flat=True)) - {None}
        if not self.owner:
            return events, set()
        return events, set(self.values_list(f"{self.owner}_id", flat=True)) - {None}

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

    def owners_of(self, objs) -> set[int]:
        if not self.owner:
            return set()
        return {getattr(obj, f"{self.owner}_id") for obj in objs} - {None}

    def report(self, event_ids, owner_ids) -> None:
        """Move the owners' `updated` (the part reports the events), then report the write."""
        if self.owner and owner_ids:
            owners = self.model._meta.get_field(self.owner).related_model._base_manager
            owners.filter(pk__in=owner_ids).update(updated=timezone.now())
        written(event_ids, self.spans_site, sender=self.model)

    def stamped(self) -> bool:
        return any(f.name == "updated" for f in self.model._meta.concrete_fields)

    def update(self, **kwargs):
        """`updated=F("updated")` keeps the stamp (bookkeeping nobody sees)."""
        if self.stamped():
            kwargs.setdefault("updated", timezone.now())
        moves = self.moves(kwargs)
        pks = list(self.values_list("pk", flat=True)) if moves else None
        events, owners = self.where_they_stand()
        rows = super().update(**kwargs)
        if rows and moves:  # and where the rows are now: this update moves them elsewhere
            moved = type(self)(self.model, using=self.db).filter(pk__in=pks)
            now_events, now_owners = moved.where_they_stand()
            events, owners = events | now_events, owners | now_owners
        if rows:
            self.report(events, owners)
        return rows

    def moves(self, fields) -> bool:
        """Whether writing `fields` can take rows to another event or owner."""
        leads = {self.event_path.split("__")[0].removesuffix("_id"), self.owner} - {None}
        return any(lead in fields or f"{lead}_id" in fields for lead in leads)

    update.alters_data = True

    def delete(self):
        events, owners = self.where_they_stand()
        deleted = super().delete()
        if deleted[0]:
            self.report(events, owners)
        return deleted

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if kwargs.get("update_conflicts") and fields and self.stamped():
            kwargs["update_fields"] = [*fields, "updated"] if "updated" not in fields else fields
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            self.report(self.events_of(created), self.owners_of(created))
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if self.stamped() and "updated" not in fields:
            now = timezone.now()
            for obj in objs:
                obj.updated = now
            fields.append("updated")
        before = type(self)(self.model, using=self.db).filter(pk__in=[obj.pk for obj in objs])
        events, owners = before.where_they_stand()
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if rows:
            self.report(events | self.events_of(objs), owners | self.owners_of(objs))
        return rows

    bulk_update.alters_data = True
