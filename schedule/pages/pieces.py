"""Each talk's list row and grid card, rendered once and kept (schedule.pieces); the "Changed"
badge and a card's grid `place` are filled in here per page. How: docs/speed.md (cold builds)"""

import dataclasses
import datetime as dt
from collections.abc import Iterable

from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe

from schedule import local_time
from schedule.models import Event
from schedule.pages.cards import render_cards
from schedule.pages.grid import Grid
from schedule.pages.rows import render_rows
from schedule.pieces.stamps import TalkRow
from schedule.pieces.store import pieces, variant_of
from talks.models import Talk

ROW, DAY_ROW, CARD = "row", "dayrow", "card"  # a day row also names the talk's day
LONG_TEXTS = ("abstract", "abstract_text", "description", "search_text")  # not in a row
CHANGED_START, CHANGED_END = "<!--changed-->", "<!--/changed-->"


# Rendered into stored cards where each page puts the card's place: its extra classes, the
# start of its style, extra attributes. User text is escaped in templates, so "<" can only
# come from these markers.
SLOTS = {part: mark_safe(f"<place-{part}>") for part in ("classes", "style", "attrs")}


def talk_pieces(rows: list[TalkRow], kind: str, event: Event, changed_guids) -> dict[int, str]:
    """Talk id -> its stored row or card HTML, with its "Changed" badge kept (talk changed
    in the latest release) or cut."""

    def build(ids: Iterable[int]) -> dict[int, str]:
        if kind == CARD:
            return render_cards(ids, event, SLOTS)
        talks = Talk.objects.filter(pk__in=ids).export_list(
            event=event, omit=LONG_TEXTS, bios=False
        )
        rows = render_rows(talks, piece=True, show_day=kind == DAY_ROW)
        return {talk.pk: row for talk, row in zip(talks, rows, strict=True)}

    texts = pieces(rows, kind, variant_of(get_script_prefix()), build)
    changed = {guid.hex for guid in changed_guids}  # as TalkRow.guid carries them
    for row in rows:
        text = texts[row.pk]
        start = text.find(CHANGED_START)
        if start >= 0 and row.guid not in changed:
            end = text.find(CHANGED_END, start) + len(CHANGED_END)
            texts[row.pk] = text[:start] + text[end:]
    return texts


def list_rows(
    rows: list[TalkRow], event: Event, changed_guids, *, show_day: bool = False
) -> list[SafeString]:
    """The talks' list rows, in the order of `rows` (`show_day`: each names its day)."""
    texts = talk_pieces(rows, DAY_ROW if show_day else ROW, event, changed_guids)
    return [SafeString(texts[r.pk]) for r in rows]  # our stored rows


@dataclasses.dataclass
class Slot:
    start: dt.datetime | None  # local time; None: time to be announced
    rows: list[SafeString]
    talk: TalkRow | None = None  # when the slot is one talk's (days(one_per_talk=True))
    until: dt.datetime | None = None  # when its last talk ends (UTC)

    @property
    def iso(self) -> str:
        return local_time.iso(self.start)

    @property
    def until_iso(self) -> str:
        return self.until.isoformat() if self.until else ""

    @property
    def hm(self) -> str:
        return local_time.hm(self.start)

    @property
    def anchor(self) -> str:
        return f"slot-{self.start:%H%M}" if self.start else "slot-tba"

    @property
    def html(self) -> SafeString:
        """The slot's rows as one piece of HTML (one template variable, not a loop)."""
        return SafeString("".join(self.rows))


@dataclasses.dataclass
class Day:
    day: dt.date | None  # None: time to be announced
    slots: list[Slot]


def days(rows: list[TalkRow], event: Event, changed_guids, *, one_per_talk=False) -> list[Day]:
    """Talks' rows (order kept) by conference day, then by start time: consecutive talks
    starting together share a slot, unless `one_per_talk` (pages that mark one talk, like a
    room's "now": `slot.talk`). Talks without a time get a day and a slot of None."""
    grouped: list[Day] = []
    tz = event.tzinfo
    for row, html in zip(rows, list_rows(rows, event, changed_guids), strict=True):
        start = row.start.astimezone(tz) if row.start else None
        day = event.conference_day(row.start) if start else None
        if not grouped or grouped[-1].day != day:
            grouped.append(Day(day, []))
        slots_of_day = grouped[-1].slots
        if not one_per_talk and slots_of_day and slots_of_day[-1].start == start:
            slots_of_day[-1].rows.append(html)
            if row.end and slots_of_day[-1].until:
                slots_of_day[-1].until = max(slots_of_day[-1].until, row.end)
        else:
            slots_of_day.append(Slot(start, [html], row if one_per_talk else None, row.end))
    return grouped


def slots(rows: list[TalkRow], event: Event, changed_guids) -> list[Slot]:
    """The talks' slots (see days) without the days: for pages of one day."""
    return [slot for day in days(rows, event, changed_guids) for slot in day.slots]


def place_cards(grid: Grid, event: Event, changed_guids) -> None:
    """Set `grid.cards`: every item's card, placed, as one piece of HTML (one template
    variable instead of one per card)."""
    texts = talk_pieces([item.talk for item in grid.items], CARD, event, changed_guids)
    placed = []
    for item in grid.items:
        style = f"grid-column: {item.column}; grid-row: {item.row_start} / {item.row_end}; "
        attrs = ""
        if item.lanes > 1:
            style += f"--lane: {item.lane}; --lanes: {item.lanes}; "
            attrs = f' data-lanes="{item.lanes}"'
        placed.append(
            texts[item.talk.pk]
            .replace(SLOTS["classes"], " short" if item.rows < 2 else "", 1)
            .replace(SLOTS["style"], style, 1)
            .replace(SLOTS["attrs"], attrs, 1)
        )
    grid.cards = mark_safe("".join(placed))  # noqa: S308 (stored from our template; place is ours)
