"""What is on now and next, per room, rooms grouped by building in the venue's order."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Min
from django.utils.text import slugify
from django.views.generic import TemplateView

from schedule import clock
from schedule.models import Room
from schedule.pages.list_views import FilteredListMixin, without_day
from talks.filters import event_talks, filtered_talks
from talks.models import Talk


@dataclass
class RoomNow:
    room: Room
    current: Talk | None
    upcoming: Talk | None
    now: dt.datetime

    @property
    def minutes_left(self) -> int | None:
        """Whole minutes until the running talk ends (at least 1 while it runs)."""
        if self.current is None or self.current.end <= self.now:
            return None
        return max(1, int((self.current.end - self.now).total_seconds() // 60))


@dataclass
class BuildingNow:
    name: str  # "" for rooms whose building is not known
    rooms: list[RoomNow] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"building-{slugify(self.name) or 'other'}"


@dataclass
class NowState:
    phase: str  # "before", "during" or "after"
    rooms: list[RoomNow]

    @property
    def buildings(self) -> list[BuildingNow]:
        """The rooms grouped by building, buildings in the order of their first room."""
        groups: dict[str, BuildingNow] = {}
        for entry in self.rooms:
            name = entry.room.building
            groups.setdefault(name, BuildingNow(name)).rooms.append(entry)
        return list(groups.values())


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
            result.append(RoomNow(room, here[-1], None, now))
            continue
        live = [t for t in here if not t.is_cancelled]
        current = next((t for t in live if t.start <= now < t.end), None)
        # A talk starting this very minute is on now, not next.
        upcoming = next((t for t in here if t.start > now and t is not current), None)
        if current or upcoming:
            result.append(RoomNow(room, current, upcoming, now))
    return NowState(phase=phase, rooms=result)


class NowView(FilteredListMixin, TemplateView):
    """Cached per minute of the clock; loads only talks that have not ended yet. The
    schedule's filters apply (a building, a devroom, a type): rooms without a matching
    talk drop out."""

    template_name = "schedule/now.html"

    def prepare(self, request, *args, **kwargs):
        # One reading of the clock per request, at the minute the cached page stands for.
        self.now = clock.now().replace(second=0, microsecond=0)

    def cache_variant(self) -> str:
        return self.now.strftime("%Y%m%d%H%M")

    def get_context_data(self, **kwargs):
        now = self.now
        talk_filter = filtered_talks(self.request, self.event, without_day(self.request.GET))
        bounds = event_talks(self.event).scheduled().aggregate(first=Min("start"), last=Max("end"))
        if bounds["first"] is None or now < bounds["first"]:
            phase = "before"
        elif now >= bounds["last"]:
            phase = "after"
        else:
            phase = "during"
        talks = talk_filter.qs.scheduled()
        if phase == "after":  # the last day's sessions
            last_day = (bounds["last"] - dt.timedelta(seconds=1)).astimezone(self.event.tzinfo)
            talks = talks.filter(end__gt=self.event.day_bounds(last_day.date())[0])
        else:
            talks = talks.filter(end__gt=now)
        return super().get_context_data(
            now=now.astimezone(self.event.tzinfo),
            filter=talk_filter,
            state=now_and_next(list(talks), list(self.event.rooms.all()), now, phase),
            **kwargs,
        )
