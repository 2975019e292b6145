"""Personal agendas: create, add and remove talks, rotate the token, and read one back with
what changed since each talk was chosen and which chosen talks clash."""

import dataclasses
import uuid

from django.core.validators import slug_unicode_re
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from schedule.live.models import Agenda, AgendaItem
from schedule.live.tokens import new_token, token_hash
from schedule.models import Event
from talks.models import Talk

MAX_TALKS = 1000  # per agenda; FOSDEM has about as many talks in all


class AgendaError(ValueError):
    """A request the agenda cannot take (said to the client as a 400)."""


def find(event: Event, token: str) -> Agenda | None:
    return Agenda.objects.filter(event=event, token_hash=token_hash(token)).first()


def talks_named(event: Event, names) -> tuple[list[Talk], list[str]]:
    """The event's public talks named by slug or guid, and the names that are none of them
    (a talk that left the schedule since it was starred: skipped, not an error)."""
    names = [str(n).strip() for n in names if str(n).strip()]
    if len(names) > MAX_TALKS:
        raise AgendaError(f"At most {MAX_TALKS} talks per request.")
    guids, slugs = {}, {}
    for name in names:
        try:
            guids[uuid.UUID(name)] = name
        except ValueError:
            if len(name) <= 200 and slug_unicode_re.fullmatch(
                name
            ):  # never sends NUL or other junk to the database
                slugs[name] = name
    talks = list(
        Talk.objects.filter(event=event)
        .public()
        .filter(Q(guid__in=list(guids)) | Q(slug__in=list(slugs)))
        .select_related("room")
    )
    found = {t.slug for t in talks} | {guids[t.guid] for t in talks if t.guid in guids}
    return talks, [name for name in names if name not in found]


def item_for(agenda: Agenda, talk: Talk) -> AgendaItem:
    return AgendaItem(
        agenda=agenda,
        talk_guid=talk.guid,
        chosen_title=talk.title[:300],
        chosen_start=talk.start,
        chosen_end=talk.end,
        chosen_room=talk.room.name if talk.room else "",
        chosen_cancelled=talk.is_cancelled,
    )


@transaction.atomic
def create(event: Event, talks: list[Talk]) -> tuple[Agenda, str]:
    """A new agenda holding `talks`; returns it with its token (shown once, never stored)."""
    token = new_token()
    agenda = Agenda.objects.create(event=event, token_hash=token_hash(token))
    AgendaItem.objects.bulk_create([item_for(agenda, t) for t in talks], ignore_conflicts=True)
    return agenda, token


@transaction.atomic
def change(agenda: Agenda, add: list[Talk], remove: list[Talk]) -> bool:
    """Per-talk operations (never a whole-set replacement, so two devices never undo each
    other's choices). Adding a talk already there keeps when it was first chosen."""
    agenda = Agenda.objects.select_for_update().get(pk=agenda.pk)
    present = set(agenda.items.values_list("talk_guid", flat=True))
    new = [t for t in add if t.guid not in present and t not in remove]
    gone = [t.guid for t in remove if t.guid in present]
    if len(present) + len(new) > MAX_TALKS:
        raise AgendaError(f"An agenda holds at most {MAX_TALKS} talks.")
    if not new and not gone:
        return False
    AgendaItem.objects.bulk_create([item_for(agenda, t) for t in new], ignore_conflicts=True)
    agenda.items.filter(talk_guid__in=gone).delete()
    agenda.touch()
    agenda.save(update_fields=["version", "changed"])
    return True


def rotate(agenda: Agenda) -> str:
    """A new token for the same agenda: links with the old one stop working."""
    token = new_token()
    agenda.token_hash = token_hash(token)
    agenda.touch()
    agenda.save(update_fields=["token_hash", "version", "changed"])
    return token


def acknowledge(agenda: Agenda) -> None:
    """The attendee has seen the changes: what each talk is now becomes what they chose."""
    talks = {t.guid: t for t in chosen_talks(agenda)}
    items = list(agenda.items.all())
    for item in items:
        talk = talks.get(item.talk_guid)
        if talk is not None:
            fresh = item_for(agenda, talk)
            for field in ("chosen_title", "chosen_start", "chosen_end", "chosen_room"):
                setattr(item, field, getattr(fresh, field))
            item.chosen_cancelled = fresh.chosen_cancelled
    AgendaItem.objects.bulk_update(
        items, ["chosen_title", "chosen_start", "chosen_end", "chosen_room", "chosen_cancelled"]
    )
    agenda.touch()
    agenda.save(update_fields=["version", "changed"])


def opened(agenda: Agenda) -> None:
    """Remember the day it was last used (at most one write a day), for prune_agendas."""
    today = timezone.localdate()
    if agenda.last_opened != today:
        Agenda.objects.filter(pk=agenda.pk).update(last_opened=today)


def chosen_talks(agenda: Agenda):
    guids = agenda.items.values_list("talk_guid", flat=True)
    return Talk.objects.filter(event_id=agenda.event_id, guid__in=guids).public()


@dataclasses.dataclass
class Entry:
    """A chosen talk as the agenda page shows it."""

    item: AgendaItem
    talk: Talk | None  # None: no longer in the schedule
    change: str = ""  # "moved", "cancelled", "removed" or ""
    clashes: list = dataclasses.field(default_factory=list)


def entries(agenda: Agenda) -> list[Entry]:
    """The chosen talks in time order, each with what changed since it was chosen and the
    other chosen talks it overlaps (cancelled talks clash with nothing)."""
    talks = {t.guid: t for t in chosen_talks(agenda).for_schedule()}
    result = []
    for item in agenda.items.all():
        talk = talks.get(item.talk_guid)
        result.append(Entry(item, talk, change_since_chosen(item, talk)))
    result.sort(key=lambda e: (e.talk is None, e.talk and (e.talk.start is None, e.talk.start)))
    live = [e for e in result if e.talk and e.talk.is_scheduled and not e.talk.is_cancelled]
    for i, first in enumerate(live):
        for second in live[i + 1 :]:
            if second.talk.start >= first.talk.end:
                break
            first.clashes.append(second.talk)
            second.clashes.append(first.talk)
    return result


def change_since_chosen(item: AgendaItem, talk: Talk | None) -> str:
    if talk is None:
        return "removed"
    if talk.is_cancelled and not item.chosen_cancelled:
        return "cancelled"
    room = talk.room.name if talk.room else ""
    if (talk.start, talk.end, room) != (item.chosen_start, item.chosen_end, item.chosen_room):
        return "moved"
    return ""
