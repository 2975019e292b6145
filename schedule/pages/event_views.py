"""The site's entry points: home redirect, the list of editions, one edition's home."""

import dataclasses
import datetime as dt
from typing import NamedTuple

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.views.generic import ListView, TemplateView

from schedule import clock, local_time
from schedule.models import Devroom, Event, Room
from schedule.place_rows import default_room_names, devrooms_as_listed, room_rows
from schedule.responses import CachedPageMixin, EventMixin
from talks.models import Talk, TalkSpeaker


def home(request):
    event = Event.objects.current_or_next(clock.now().date())
    if event is None:
        return render(request, "schedule/no_events.html")
    return redirect(event)


class EventListView(CachedPageMixin, ListView):
    template_name = "schedule/event_list.html"
    site_wide = True

    def get_queryset(self):
        """One correlated subquery per count: joining talks × rooms × devrooms and counting
        distinct rows grows multiplicatively with each imported edition."""
        return Event.objects.annotate(
            talk_count=count_of(Talk.objects.public()),
            room_count=count_of(Room.objects),
            # as each event's home counts them: devrooms with public talks
            devroom_count=count_of(
                Devroom.objects.filter(pk__in=Talk.objects.public().values("devroom"))
            ),
        ).order_by("-start_date")


def count_of(rows):
    """A correlated COUNT(*) of `rows` belonging to the outer event."""
    counted = rows.filter(event=OuterRef("pk")).order_by().values("event").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


@dataclasses.dataclass
class Summary:
    """An event's programme in numbers (talks per devroom, room and day), for its home."""

    talk_count: int = 0
    unscheduled_count: int = 0
    days: list[tuple[dt.date, int]] = dataclasses.field(default_factory=list)
    # devroom id -> [talks, first start, last end]; room id -> talks
    devrooms: dict[int, list] = dataclasses.field(default_factory=dict)
    rooms: dict[int, int] = dataclasses.field(default_factory=dict)


def programme_summary(event: Event) -> Summary:
    """Every count of the event home from one query: public talks grouped by (devroom,
    room), each group counted per day, so it reads the covering index
    (talk_event_programme) rather than the talks' wide rows."""
    bounds = [event.day_bounds(day) for day in event.days]
    groups = (
        Talk.objects.filter(event_id=event.pk)
        .public()
        .order_by()
        .values_list("devroom_id", "room_id")
        .annotate(
            talks=Count("pk"),
            first=Min("start"),
            last=Max("end"),
            unscheduled=Count("pk", filter=Q(start__isnull=True)),
            **{
                f"day{n}": Count("pk", filter=Q(start__gte=start, start__lt=end))
                for n, (start, end) in enumerate(bounds)
            },
        )
    )
    summary = Summary()
    per_day = [0] * len(bounds)
    for devroom_id, room_id, talks, first, last, unscheduled, *days in groups:
        summary.talk_count += talks
        summary.unscheduled_count += unscheduled
        per_day = [total + n for total, n in zip(per_day, days, strict=True)]
        if devroom_id is not None:
            known = summary.devrooms.setdefault(devroom_id, [0, None, None])
            known[0] += talks
            known[1] = min(filter(None, (known[1], first)), default=None)
            known[2] = max(filter(None, (known[2], last)), default=None)
        if room_id is not None:
            summary.rooms[room_id] = summary.rooms.get(room_id, 0) + talks
    summary.days = list(zip(event.days, per_day, strict=True))
    return summary


class EventView(CachedPageMixin, EventMixin, TemplateView):
    template_name = "schedule/event_detail.html"

    def get_context_data(self, **kwargs):
        event = self.event
        summary = programme_summary(event)
        public = TalkSpeaker.objects.filter(talk__event=event, talk__is_draft=False)
        buildings = rooms_by_building(event, summary.rooms)
        return super().get_context_data(
            devrooms=devrooms_with_talks(event, summary.devrooms),
            buildings=buildings,
            room_count=sum(len(rooms) for _building, rooms in buildings),
            speaker_count=public.aggregate(n=Count("speaker", distinct=True))["n"],
            talk_count=summary.talk_count,
            unscheduled_count=summary.unscheduled_count,
            days=summary.days,
            **kwargs,
        )


class DevroomCard(NamedTuple):
    slug: str
    name: str
    colour: str
    talk_count: int
    room_names: str  # its default rooms, in display order
    span: str  # "Sat 10:30–Sat 17:00" in the event's zone, or ""


def devrooms_with_talks(event: Event, stats: dict[int, list]) -> list[DevroomCard]:
    """Devrooms that have talks, by name, with their card's values formatted here (a
    template filter per value is costly over a hundred devrooms)."""
    room_names: dict[int, list[str]] = {}
    for devroom_id, name in default_room_names(event.pk):
        room_names.setdefault(devroom_id, []).append(name)
    tz = event.tzinfo
    cards = []
    for pk, slug, name, colour in devrooms_as_listed(event.pk, with_public_talks=False):
        if pk not in stats:
            continue
        talk_count, first, last = stats[pk]
        first, last = local_time.in_zone(first, tz), local_time.in_zone(last, tz)
        span = f"{local_time.weekday_hm(first)}–{local_time.weekday_hm(last)}" if first else ""
        names = ", ".join(room_names.get(pk, []))
        cards.append(DevroomCard(slug, name, colour, talk_count, names, span))
    return cards


class RoomCard(NamedTuple):
    slug: str
    name: str
    floor: str
    capacity: int | None
    talk_count: int


def rooms_by_building(event: Event, talk_counts: dict[int, int]) -> list[tuple[str, list]]:
    """Rooms that have talks, with talk_count, as (building, rooms): buildings A–Z, then
    the rooms without one (building ""); display order within a building."""
    buildings: dict[str, list[RoomCard]] = {}
    for pk, slug, name, building, floor, capacity in room_rows(event.pk):
        if pk in talk_counts:
            card = RoomCard(slug, name, floor, capacity, talk_counts[pk])
            buildings.setdefault(building, []).append(card)
    return sorted(buildings.items(), key=lambda item: (item[0] == "", item[0]))
