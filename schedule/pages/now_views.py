"""What is on now and next, per room."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Min
from django.views.generic import TemplateView

from schedule import clock
from schedule.models import Room
from schedule.responses import CachedPageMixin, EventMixin
from talks.filters import event_talks
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
    """What runs in each room at `now` and what starts next there. `phase` comes from the
    whole event; `talks` may be only those not yet ended (after the event, the last day's).
    Before the event each room shows its first slot, after it its last. Cancelled talks are
    shown but never "running"."""
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


class NowView(CachedPageMixin, EventMixin, TemplateView):
    """Cached per minute of the clock; loads only talks that have not ended yet."""

    template_name = "schedule/now.html"

    def prepare(self, request, *args, **kwargs):
        # One reading of the clock per request, at the minute the cached page stands for.
        self.now = clock.now().replace(second=0, microsecond=0)

    def cache_variant(self) -> str:
        return self.now.strftime("%Y%m%d%H%M")

    def get_context_data(self, **kwargs):
        now = self.now
        talks = event_talks(self.event).scheduled()
        bounds = talks.aggregate(first=Min("start"), last=Max("end"))
        if bounds["first"] is None or now < bounds["first"]:
            phase = "before"
        elif now >= bounds["last"]:
            phase = "after"
        else:
            phase = "during"
        if phase == "after":  # the last day's sessions
            last_day = (bounds["last"] - dt.timedelta(seconds=1)).astimezone(self.event.tzinfo)
            talks = talks.filter(end__gt=self.event.day_bounds(last_day.date())[0])
        else:
            talks = talks.filter(end__gt=now)
        return super().get_context_data(
            now=now.astimezone(self.event.tzinfo),
            state=now_and_next(list(talks), list(self.event.rooms.all()), now, phase),
            **kwargs,
        )
