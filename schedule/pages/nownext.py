"""What runs in each room now and what starts next (pure logic, no queries)."""

import datetime as dt
from dataclasses import dataclass

from schedule.models import Room
from talks.models import Talk


@dataclass
class RoomNow:
    room: Room
    current: Talk | None
    upcoming: Talk | None


@dataclass
class NowState:
    phase: str  # "before", "during" or "after"
    rooms: list[RoomNow]


def now_and_next(talks: list[Talk], rooms: list[Room], now: dt.datetime, phase: str) -> NowState:
    """What runs in each room at `now` and what starts next there.

    `phase` ("before", "during", "after") comes from the whole event; `talks` may be only
    those not yet ended (after the event, the last day's). Before the event each room shows
    its first slot, after it its last. Cancelled talks are shown but never "running".
    """
    talks = sorted((t for t in talks if t.is_scheduled and t.room_id), key=lambda t: t.start)
    result = []
    for room in rooms:
        here = [t for t in talks if t.room_id == room.pk]
        if not here:
            continue
        if phase == "after":
            result.append(RoomNow(room, here[-1], None))
            continue
        live = [t for t in here if not t.is_cancelled]
        current = next((t for t in live if t.start <= now < t.end), None)
        # A talk starting this very minute is on now, not next.
        upcoming = next((t for t in here if t.start > now and t is not current), None)
        if current or upcoming:
            result.append(RoomNow(room, current, upcoming))
    return NowState(phase=phase, rooms=result)
