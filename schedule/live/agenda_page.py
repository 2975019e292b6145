"""An agenda as its page shows it, at a cost bounded by one page of rows: an agenda may hold
a thousand talks, so all are read as plain values (changes; overlaps in one sorted sweep,
never per pair) and full rows are loaded only for one page of `PAGE_SIZE`."""

import dataclasses
import datetime as dt
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
    is_cancelled: bool

    def get_absolute_url(self) -> str:
        return Talk(slug=self.slug, event=self.event).get_absolute_url()


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

    def __post_init__(self):
        self.changed = [e for e in self.entries if e.change]
        self.listed_changes = self.changed[:LISTED_CHANGES]
        self.unlisted_changes = max(0, len(self.changed) - LISTED_CHANGES)
        self.clashing = sum(1 for e in self.entries if e.overlap_count)
        self.first = (self.number - 1) * PAGE_SIZE + 1  # the shown talks' numbers
        self.last = self.first + len(self.shown) - 1


def read(agenda: Agenda, number: int = 1) -> AgendaPage:
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
    entries = []
    for item in agenda.items.all():
        chosen = now.get(item.talk_guid)
        entries.append(Entry(item, chosen, change_since_chosen(item, chosen)))
    return sorted(entries, key=_time_order)


def _time_order(entry: Entry):
    now = entry.now
    return (now is None, now is None or now.start is None, now and now.start, entry.item.pk)


def change_since_chosen(item: AgendaItem, now: Chosen | None) -> str:
    if now is None:
        return "removed"
    if now.is_cancelled and not item.chosen_cancelled:
        return "cancelled"
    if (now.start, now.end, now.room) != (item.chosen_start, item.chosen_end, item.chosen_room):
        return "moved"
    return ""
