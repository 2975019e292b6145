"""Revert an event's last import, or refuse to.
Rules: docs/importing.md#history-and-revert"""

from django.core import serializers
from django.db import transaction
from django.utils import timezone

from schedule import markers
from schedule.interchange.history import stamps
from schedule.interchange.models import ImportRun
from schedule.interchange.rows import store
from schedule.models import Devroom, Event, Room
from talks.models import PersonId, Speaker, Talk


class RevertRefused(ValueError):
    """The import cannot be reverted as it stands; the message says why."""


def last_import(event: Event) -> ImportRun | None:
    return event.imports.filter(reverted__isnull=True).order_by("-at", "-pk").first()


def edited_since(run: ImportRun) -> list[str]:
    """What was edited after the import (talks and speakers it touched), by name."""
    after = run.undo.get("after", {})
    lines = []
    for model, label in ((Talk, "talk"), (Speaker, "speaker")):
        recorded = after.get(model._meta.model_name + "s", {})
        now = stamps(model, [int(pk) for pk in recorded])
        changed = [int(pk) for pk, when in recorded.items() if now.get(pk) not in (None, when)]
        for obj in model.objects.filter(pk__in=changed).order_by("pk")[:20]:
            lines.append(f"{label} “{obj}” (edited since the import)")
    return lines


@transaction.atomic
def revert_import(run: ImportRun) -> list[str]:
    """Undo `run`, the event's last import; returns what was done, for the summary."""
    if run.reverted:
        raise RevertRefused("This import was reverted already.")
    event = run.event
    latest = last_import(event) if event else None
    if latest is not None and latest.pk != run.pk:
        raise RevertRefused(f"A later import of {event} exists ({latest}); revert that first.")
    if edits := edited_since(run):
        raise RevertRefused(
            "Rows this import touched were edited since, and a revert would undo those "
            "edits: " + "; ".join(edits) + "."
        )
    undo = run.undo
    done = []
    with markers.batched(event.pk):
        created = {table: [int(pk) for pk in pks] for table, pks in undo.get("created", {}).items()}
        before = undo.get("before", {})
        talks_gone = Talk.objects.filter(pk__in=created.get("talks", []))
        done.append(f"{talks_gone.count()} talks the import created deleted")
        talks_gone.delete()
        restore_rows(Talk, before.get("talks", {}), done, "talks")
        credits = {int(t): rows for t, rows in undo.get("credits", {}).items()}
        links = {int(t): rows for t, rows in undo.get("links", {}).items()}
        store(credits.items(), links.items(), {"credits": set(credits), "links": set(links)})
        for item in serializers.deserialize("python", undo.get("deleted", [])):
            item.object.skip_clash_check = True
            item.save()
        PersonId.objects.filter(pk__in=created.get("person_ids", [])).delete()
        restore_rows(Speaker, before.get("speakers", {}), done, "speakers")
        unused = Speaker.objects.filter(pk__in=created.get("speakers", []), talk_speakers=None)
        done.append(f"{unused.count()} speakers the import created deleted")
        unused.delete()
        Room.objects.filter(pk__in=created.get("rooms", []), talks=None).delete()
        Devroom.objects.filter(pk__in=created.get("devrooms", []), talks=None).delete()
        restore_rows(Room, before.get("rooms", {}), done, "rooms")
        restore_rows(Devroom, before.get("devrooms", {}), done, "devrooms")
        restore_rows(Event, before.get("events", {}), done, "event")
    run.reverted = timezone.now()
    run.save(update_fields=["reverted"])
    if undo.get("event_created"):
        Talk.objects.filter(event=event).delete()  # rooms and devrooms protect their talks
        event.delete()
        done.append(f"the event {event.slug}, which the import created, deleted")
    return done


def restore_rows(model, rows: dict, done: list, label: str) -> None:
    """Give rows their values from before the import, saved one by one (SEQUENCE moves)."""
    for pk, values in rows.items():
        obj = model.objects.filter(pk=int(pk)).first()
        if obj is None:
            continue
        names = []
        for name, value in values.items():
            field = model._meta.get_field(name)
            setattr(obj, field.attname, None if value is None else field.to_python(value))
            names.append(field.attname)
        if model is Talk:
            obj.skip_clash_check = True
        obj.save(update_fields=[*names, "updated"])
    if rows:
        done.append(f"{len(rows)} {label} restored")
