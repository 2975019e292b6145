"""An agenda as its page shows it, at a cost bounded by one page of rows: an agenda may hold
a thousand talks, so all are read as plain values (changes; overlaps in one sorted sweep,
never per pair) and full rows are loaded only for one page of `PAGE_SIZE`."""

import dataclasses
import datetime as dt
import functools
import uuid

from django.db.models import F

from schedule.live.agendas import chosen_talks
from schedule.live.models import Agenda, AgendaItem
from schedule.models import Event
from schedule.pages.overlaps import Overlaps, Timeline
from talks.models import Talk

PAGE_SIZE = 100
LISTED_CHANGES = 50  # the "changed since you chose them" list names this many, counts the rest


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
    cancelled: bool

    def get_absolute_url(self) -> str:
        return Talk(slug=self.slug, event=self.event).get_absolute_url()

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled


@dataclasses.dataclass
class Entry:
    """A chosen talk on the agenda page."""

    item: AgendaItem
    now: Chosen | None  # None: no longer in the schedule
    change: str = ""  # "moved", "cancelled", "removed" or ""
    overlap_count: int = 0
    talk: Talk | None = None  # the full row, loaded for the shown page only
    clashes: Overlaps | None = None


@dataclasses.dataclass
class AgendaPage:
    entries: list[Entry]  # every chosen talk, in time order
    shown: list[Entry]  # this page's, with their full rows
    number: int
    count: int  # pages

    @functools.cached_property
    def changed(self) -> list[Entry]:
        return [e for e in self.entries if e.change]

    @property
    def listed_changes(self) -> list[Entry]:
        return self.changed[:LISTED_CHANGES]

    @property
    def unlisted_changes(self) -> int:
        return max(0, len(self.changed) - LISTED_CHANGES)

    @property
    def clashing(self) -> int:
        return sum(1 for e in self.entries if e.overlap_count)

    @property
    def first(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1

    @property
    def last(self) -> int:
        return self.first + len(self.shown) - 1


def read(agenda: Agenda, number: int = 1) -> AgendaPage:
    """Page `number` (clamped to the pages there are) of `agenda`."""
    entries = every_entry(agenda)
    timeline = Timeline([e.now for e in entries if e.now], key=lambda chosen: chosen.guid)
    for entry in entries:
        entry.overlap_count = timeline.count(entry.now) if entry.now else 0
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    number = min(max(number, 1), pages)
    shown = entries[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    load_rows(agenda, shown, timeline)
    return AgendaPage(entries, shown, number, pages)


def every_entry(agenda: Agenda) -> list[Entry]:
    rows = chosen_talks(agenda).values(
        "guid", "slug", "title", "start", "end", "status", room_name=F("room__name")
    )
    now = {}
    for row in rows.iterator():
        now[row["guid"]] = Chosen(
            event=agenda.event,
            guid=row["guid"],
            slug=row["slug"],
            title=row["title"],
            start=row["start"],
            end=row["end"],
            room=row["room_name"] or "",
            cancelled=row["status"] == Talk.Status.CANCELLED,
        )
    entries = []
    for item in agenda.items.all():
        chosen = now.get(item.talk_guid)
        entries.append(Entry(item, chosen, change_since_chosen(item, chosen)))
    entries.sort(key=_time_order)
    return entries


def _time_order(entry: Entry):
    now = entry.now
    return (now is None, now is None or now.start is None, now and now.start, entry.item.pk)


def change_since_chosen(item: AgendaItem, now: Chosen | None) -> str:
    if now is None:
        return "removed"
    if now.cancelled and not item.chosen_cancelled:
        return "cancelled"
    if (now.start, now.end, now.room) != (item.chosen_start, item.chosen_end, item.chosen_room):
        return "moved"
    return ""


def load_rows(agenda: Agenda, shown: list[Entry], timeline: Timeline) -> None:
    """Full rows for the shown entries, with the talks each overlaps named."""
    talks = {
        t.guid: t
        for t in Talk.objects.filter(
            event_id=agenda.event_id, guid__in=[e.now.guid for e in shown if e.now]
        ).for_schedule()
    }
    for entry in shown:
        entry.talk = entry.now and talks.get(entry.now.guid)
        if entry.overlap_count:
            entry.clashes = timeline.overlaps(entry.now)
