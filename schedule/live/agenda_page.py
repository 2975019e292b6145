"""An agenda read back as its page shows it, at a cost bounded by a page of rows.

An agenda may hold every talk of the event (a thousand). Its page therefore reads the chosen
talks' times and titles as plain values, finds what changed since each was chosen and how
many chosen talks each overlaps (one sorted sweep, never per pair), and loads and renders
full rows only for one page of `PAGE_SIZE` talks. Each row names at most `NAMED_OVERLAPS`
of the talks it overlaps and counts the rest.
"""

import bisect
import dataclasses
import datetime as dt
import functools
import itertools
import uuid

from django.db.models import F

from schedule.live.agendas import chosen_talks
from schedule.live.models import Agenda, AgendaItem
from schedule.models import Event
from talks.models import Talk

PAGE_SIZE = 100
NAMED_OVERLAPS = 3
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
    def overlaps_others(self) -> bool:
        """Scheduled, not cancelled and lasting: only these can overlap."""
        return bool(self.start and self.end and self.start < self.end and not self.cancelled)


@dataclasses.dataclass
class Overlaps:
    """The chosen talks one row overlaps: a few named, the rest counted."""

    named: list
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.named)

    def __bool__(self) -> bool:
        return self.count > 0


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
    count_overlaps(entries)
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    number = min(max(number, 1), pages)
    shown = entries[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    load_rows(agenda, shown, entries)
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


def count_overlaps(entries: list[Entry]) -> None:
    """How many other chosen talks each overlaps: those starting before it ends, less those
    ending by the time it starts, less itself. Two binary searches per talk."""
    live = [e.now for e in entries if e.now and e.now.overlaps_others]
    starts = sorted(c.start for c in live)
    ends = sorted(c.end for c in live)
    counts = {
        c.guid: bisect.bisect_left(starts, c.end) - bisect.bisect_right(ends, c.start) - 1
        for c in live
    }
    for entry in entries:
        entry.overlap_count = counts.get(entry.item.talk_guid, 0)


def named_overlaps(chosen: Chosen, timeline: "Timeline", position: int, count: int) -> Overlaps:
    """The first few talks `chosen` overlaps, found next to it on the timeline: later ones
    start before it ends; earlier ones still run when it starts (the scan back stops where
    nothing earlier reaches that far)."""
    live, reach = timeline.live, timeline.reach
    named = []
    before = position - 1
    while before >= 0 and reach[before] > chosen.start and len(named) < NAMED_OVERLAPS:
        if live[before].end > chosen.start:
            named.insert(0, live[before])
        before -= 1
    after = position + 1
    while after < len(live) and live[after].start < chosen.end and len(named) < NAMED_OVERLAPS:
        named.append(live[after])
        after += 1
    return Overlaps(named[:NAMED_OVERLAPS], count)


def load_rows(agenda: Agenda, shown: list[Entry], entries: list[Entry]) -> None:
    """Full rows (speakers, room, devroom) for the shown entries, and the talks they overlap
    named."""
    talks = {
        t.guid: t
        for t in Talk.objects.filter(
            event_id=agenda.event_id, guid__in=[e.now.guid for e in shown if e.now]
        ).for_schedule()
    }
    timeline = Timeline(entries)
    for entry in shown:
        entry.talk = entry.now and talks.get(entry.now.guid)
        if entry.overlap_count:
            where = timeline.position[entry.now.guid]
            entry.clashes = named_overlaps(entry.now, timeline, where, entry.overlap_count)


class Timeline:
    """The chosen talks that can overlap, by start; `reach[i]`: the latest end among the
    first i + 1."""

    def __init__(self, entries: list[Entry]):
        self.live = sorted(
            (e.now for e in entries if e.now and e.now.overlaps_others), key=lambda c: c.start
        )
        self.position = {c.guid: i for i, c in enumerate(self.live)}
        self.reach = list(itertools.accumulate((c.end for c in self.live), max))
