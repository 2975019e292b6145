"""Personal agendas: create, add and remove talks, rotate the token, and read one back with
what changed since each talk was chosen and which chosen talks clash."""

import uuid

from django.core.validators import slug_unicode_re
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
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
        except ValueError:  # a slug: never send NUL or other junk to the database
            if len(name) <= 200 and slug_unicode_re.fullmatch(name):
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
    return True


def rotate(agenda: Agenda, token: str) -> str | None:
    """A new token for the agenda; the old link stops working. Compare and set: of two
    devices rotating at once, one gets the link, the other None (never a dead link)."""
    new = new_token()
    done = Agenda.objects.filter(pk=agenda.pk, token_hash=token_hash(token)).update(
        token_hash=token_hash(new), **Agenda.moved()
    )
    return new if done else None


@transaction.atomic
def acknowledge(agenda: Agenda) -> None:
    """The attendee has seen the changes: each talk's state now becomes what they chose."""
    now = Talk.objects.filter(event_id=agenda.event_id, guid=OuterRef("talk_guid")).public()

    def current(field):
        return Subquery(now.values(field)[:1])

    agenda.items.filter(Exists(now)).update(
        chosen_title=current("title"),
        chosen_start=current("start"),
        chosen_end=current("end"),
        chosen_room=Coalesce(current("room__name"), Value("")),
        chosen_cancelled=Exists(now.filter(status=Talk.Status.CANCELLED)),
    )
    agenda.touch()


def opened(agenda: Agenda) -> None:
    """Remember the day it was last used (at most one write a day), for prune_agendas."""
    today = timezone.localdate()
    if agenda.last_opened != today:
        Agenda.objects.filter(pk=agenda.pk).update(last_opened=today)


def chosen_talks(agenda: Agenda):
    guids = agenda.items.values_list("talk_guid", flat=True)
    return Talk.objects.filter(event_id=agenda.event_id, guid__in=guids).public()
