"""Pure layout logic for the day grid (no queries)."""

import datetime as dt
import functools
import itertools
from dataclasses import dataclass, field

from schedule import local_time
from schedule.models import Event, Room
from schedule.pieces.stamps import TalkRow
from talks.models import Talk

SLOT = dt.timedelta(minutes=5)
LABEL_EVERY = dt.timedelta(minutes=30)


@dataclass
class GridItem:
    talk: Talk | TalkRow
    column: int  # CSS grid column (1 is the time column)
    row_start: int  # CSS grid rows (1 is the room header)
    row_end: int
    lane: int = 0  # side by side with talks it overlaps in the same room: lane of `lanes`
    lanes: int = 1

    @property
    def rows(self) -> int:
        return self.row_end - self.row_start


def assign_lanes(items: list["GridItem"]) -> None:
    """Talks that overlap in one room (imports keep such clashes) share its column side by
    side: each cluster of overlapping talks gets as many lanes as it needs at most at once,
    and each talk the first lane free at its start."""
    ordered = sorted(items, key=lambda i: (i.column, i.row_start, i.row_end))
    for _column, column_items in itertools.groupby(ordered, key=lambda i: i.column):
        clusters: list[list[GridItem]] = []
        cluster_end = 0
        for item in column_items:
            if not clusters or item.row_start >= cluster_end:  # overlaps none before it
                clusters.append([])
            busy = {member.lane for member in clusters[-1] if member.row_end > item.row_start}
            item.lane = next(n for n in itertools.count() if n not in busy)
            clusters[-1].append(item)
            cluster_end = max(cluster_end, item.row_end)
        for cluster in clusters:
            lanes = max(member.lane for member in cluster) + 1
            for member in cluster:
                member.lanes = lanes


@dataclass
class Grid:
    rooms: list[Room]
    items: list[GridItem]
    labels: list[tuple[int, str]]
    rows: int
    unplaced: list[Talk | TalkRow] = field(default_factory=list)
    first: dt.datetime | None = None  # the moment row 2 starts (for the browser's now line)
    cards: str = ""  # the placed cards' HTML (schedule.pages.pieces.place_cards)

    @property
    def empty(self) -> bool:
        return not self.items


def build_grid(talks: list[Talk | TalkRow], rooms: list[Room], event: Event) -> Grid:
    """Rooms with talks that day become columns (display order); 5-minute rows of the
    event's local wall clock (no DST change happens between 06:00 and midnight)."""
    placed = [t for t in talks if t.is_scheduled and t.room_id]
    if not placed:
        return Grid(rooms=[], items=[], labels=[], rows=0, unplaced=list(talks))
    used = {t.room_id for t in placed}
    columns = [room for room in rooms if room.pk in used]
    column_of = {room.pk: index + 2 for index, room in enumerate(columns)}
    tz = event.tzinfo
    start = min(t.start for t in placed).astimezone(tz)  # first row: floored to a label
    first = start.replace(minute=start.minute // 30 * 30, second=0, microsecond=0, fold=0)
    last = max(t.end for t in placed).astimezone(tz)
    naive_first = first.replace(tzinfo=None)

    @functools.cache  # talks share few distinct times: compute each once
    def row(moment: dt.datetime) -> int:
        local = moment.astimezone(tz).replace(tzinfo=None)
        return int((local - naive_first) // SLOT) + 2

    rows = row(last + SLOT - dt.timedelta(microseconds=1)) - 1
    items = [
        GridItem(t, column_of[t.room_id], row(t.start), max(row(t.end), row(t.start) + 1))
        for t in placed
    ]
    assign_lanes(items)
    labels = []
    tick = first
    while tick < last:
        labels.append((row(tick), local_time.hm(tick)))
        tick += LABEL_EVERY
    unplaced = [t for t in talks if not (t.is_scheduled and t.room_id)]
    return Grid(
        rooms=columns, items=items, labels=labels, rows=rows, unplaced=unplaced, first=first
    )
