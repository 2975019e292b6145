"""Personal agendas: create, add and remove talks, rotate the token, read one back (what
changed, clashes) a page of `PAGE_SIZE` at a time. Rules: docs/live-day.md#personal-agendas"""

import dataclasses
import datetime as dt
import uuid

from django.core.validators import slug_unicode_re
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from schedule.live.models import Agenda, AgendaItem
from schedule.live.tokens import new_token, token_hash
from schedule.models import Event
from schedule.pages.overlaps import Overlaps, Timeline
from talks.models import Talk

MAX_TALKS = 1000  # per agenda; FOSDEM has about as many talks in all
PAGE_SIZE = 100
LISTED_CHANGES = 50  # the "changed since you chose them" list names this many, counts the rest


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
    guids, slugs = {}, []
    for name in names:
        try:
            guids[uuid.UUID(name)] = name
        except ValueError:  # a slug: never send NUL or other junk to the database
            if len(name) <= 200 and slug_unicode_re.fullmatch(name):
                slugs.append(name)
    named = Q(guid__in=list(guids)) | Q(slug__in=slugs)
    talks = list(Talk.objects.filter(named, event=event).public().select_related("room"))
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
def change(agenda: Agenda, add: list[Talk], remove: list[Talk]) -> None:
    """Per-talk operations (never a whole-set replacement, so two devices never undo each
    other's choices). Adding a talk already there keeps when it was first chosen."""
    agenda = Agenda.objects.select_for_update().get(pk=agenda.pk)
    present = set(agenda.items.values_list("talk_guid", flat=True))
    new = [t for t in add if t.guid not in present and t not in remove]
    gone = [t.guid for t in remove if t.guid in present]
    if len(present) + len(new) > MAX_TALKS:
        raise AgendaError(f"An agenda holds at most {MAX_TALKS} talks.")
    if new or gone:
        AgendaItem.objects.bulk_create([item_for(agenda, t) for t in new], ignore_conflicts=True)
        agenda.items.filter(talk_guid__in=gone).delete()
        agenda.touch()


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


@dataclasses.dataclass
class Chosen:
    """What a chosen talk is now, as plain values (None when it left the schedule)."""

    event: Event
    guid: uuid.UUID
    slug: str
    title: str
    start: dt.datetime | None
    end: dt.datetime | None
    room: str
    is_cancelled: bool

    def get_absolute_url(self) -> str:
        return reverse("talks:detail", args=[self.event.slug, self.slug])


@dataclasses.dataclass
class Entry:
    """A chosen talk on the agenda page."""

    item: AgendaItem
    now: Chosen | None  # None: no longer in the schedule
    overlap_count: int = 0
    talk: Talk | None = None  # the full row, loaded for the shown page only
    clashes: Overlaps | None = None

    @property
    def change(self) -> str:
        """What happened since it was chosen: "moved", "cancelled", "removed" or ""."""
        item, now = self.item, self.now
        if now is None:
            return "removed"
        if now.is_cancelled and not item.chosen_cancelled:
            return "cancelled"
        if (now.start, now.end, now.room) != (item.chosen_start, item.chosen_end, item.chosen_room):
            return "moved"
        return ""


@dataclasses.dataclass
class AgendaPage:
    entries: list[Entry]  # every chosen talk, in time order
    shown: list[Entry]  # this page's, with their full rows
    number: int
    count: int  # pages

    def __post_init__(self):
        self.changed = [e for e in self.entries if e.change]
        self.listed_changes = self.changed[:LISTED_CHANGES]
        self.unlisted_changes = max(0, len(self.changed) - LISTED_CHANGES)
        self.clashing = sum(1 for e in self.entries if e.overlap_count)
        self.first = (self.number - 1) * PAGE_SIZE + 1  # the shown talks' numbers
        self.last = self.first + len(self.shown) - 1


def page_of(agenda: Agenda, number: int) -> AgendaPage:
    """Page `number` (clamped to the pages there are) of `agenda`."""
    entries = every_entry(agenda)
    timeline = Timeline([e.now for e in entries if e.now], key=lambda chosen: chosen.guid)
    for entry in entries:
        entry.overlap_count = timeline.count(entry.now) if entry.now else 0
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    number = min(max(number, 1), pages)
    shown = entries[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    # Full rows for the shown entries only, with the talks each overlaps named.
    rows = Talk.objects.filter(event_id=agenda.event_id).for_schedule()
    talks = rows.in_bulk([e.now.guid for e in shown if e.now], field_name="guid")
    for entry in shown:
        entry.talk = entry.now and talks.get(entry.now.guid)
        if entry.overlap_count:
            entry.clashes = timeline.overlaps(entry.now)
    return AgendaPage(entries, shown, number, pages)


def every_entry(agenda: Agenda) -> list[Entry]:
    rows = chosen_talks(agenda).values(
        "guid", "slug", "title", "start", "end", "status", room_name=F("room__name")
    )
    now = {}
    for row in rows.iterator():
        room, status = row.pop("room_name") or "", row.pop("status")
        cancelled = status == Talk.Status.CANCELLED
        now[row["guid"]] = Chosen(agenda.event, room=room, is_cancelled=cancelled, **row)
    entries = [Entry(item, now.get(item.talk_guid)) for item in agenda.items.all()]
    return sorted(entries, key=_time_order)


def _time_order(entry: Entry):
    now = entry.now
    return (now is None, now is None or now.start is None, now and now.start, entry.item.pk)
