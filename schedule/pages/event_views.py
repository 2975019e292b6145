"""The site's entry points: home redirect, the list of editions, one edition's home."""

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.views.generic import ListView, TemplateView

from schedule import clock
from schedule.models import Devroom, Event, Room
from schedule.responses import CachedPageMixin, EventMixin
from talks.models import Talk, TalkSpeaker

PUBLIC = Q(talks__is_draft=False)  # counts never include drafts


def home(request):
    event = Event.objects.current_or_next(clock.now().date())
    if event is None:
        return render(request, "schedule/no_events.html")
    return redirect(event)


class EventListView(CachedPageMixin, ListView):
    template_name = "schedule/event_list.html"
    site_wide = True

    def get_queryset(self):
        """Counts as one subquery each: joining talks × rooms × devrooms and counting
        distinct rows costs seconds once a few editions are imported (2.8 M rows)."""
        return Event.objects.annotate(
            talk_count=count_of(Talk.objects.public()),
            room_count=count_of(Room.objects),
            devroom_count=count_of(Devroom.objects),
        ).order_by("-start_date")


def count_of(rows):
    """A correlated COUNT(*) of `rows` belonging to the outer event."""
    counted = (
        rows.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


class EventView(CachedPageMixin, EventMixin, TemplateView):
    template_name = "schedule/event_detail.html"

    def get_context_data(self, **kwargs):
        event = self.event
        talks = Talk.objects.filter(event=event).public()
        return super().get_context_data(
            devrooms=devrooms_with_talks(event),
            rooms=rooms_by_building(event),
            speaker_count=TalkSpeaker.objects.filter(talk__in=talks)
            .values("speaker")
            .distinct()
            .count(),
            **talk_counts(event, talks),
            **kwargs,
        )


def talks_per_place(event: Event, field: str) -> dict[int, tuple[int, object, object]]:
    """{devroom or room id: (talks, first start, last end)} of the event's public talks,
    grouped by the id alone (one pass over the talks' covering index)."""
    rows = (
        Talk.objects.filter(event=event)
        .public()
        .order_by()
        .values_list(f"{field}_id")
        .annotate(Count("pk"), Min("start"), Max("end"))
    )
    return {place_id: stats for place_id, *stats in rows if place_id is not None}


def devrooms_with_talks(event: Event) -> list[Devroom]:
    """Devrooms that have talks, by name, each with talk_count, its `room_names` and its
    `span` ("Sat 10:30–Sat 17:00" in the event's zone), ready-made: a template filter per
    value, over a hundred devrooms, was most of the event home's cost."""
    stats = talks_per_place(event, "devroom")
    devrooms = [d for d in Devroom.objects.filter(event=event).order_by("name") if d.pk in stats]
    room_names: dict[int, list[str]] = {}
    for devroom_id, name in (
        Devroom.default_rooms.through.objects.filter(devroom__event=event)
        .order_by("room__position", "room__name")
        .values_list("devroom_id", "room__name")
    ):
        room_names.setdefault(devroom_id, []).append(name)
    tz = event.tzinfo
    for devroom in devrooms:
        devroom.talk_count, devroom.first_start, devroom.last_end = stats[devroom.pk]
        first, last = devroom.first_start, devroom.last_end
        devroom.room_names = ", ".join(room_names.get(devroom.pk, []))
        devroom.span = (
            f"{first.astimezone(tz):%a %H:%M}–{last.astimezone(tz):%a %H:%M}" if first else ""
        )
    return devrooms


def rooms_by_building(event: Event) -> list[Room]:
    """Rooms that have talks, with talk_count, ordered for {% regroup %} by building:
    buildings A–Z, then the rooms without one; display order within a building."""
    stats = talks_per_place(event, "room")
    rooms = [room for room in Room.objects.filter(event=event) if room.pk in stats]
    for room in rooms:
        room.talk_count = stats[room.pk][0]
    return sorted(rooms, key=lambda r: (r.building == "", r.building, r.position, r.name))


def talk_counts(event: Event, talks) -> dict:
    """The event's talks counted in one query: all of them (talk_count), those starting on
    each local day (days: [(day, count)]) and those without a time (unscheduled_count)."""
    bounds = [event.day_bounds(day) for day in event.days]
    counts = talks.aggregate(
        all=Count("pk"),
        unscheduled=Count("pk", filter=Q(start__isnull=True)),
        **{
            f"day{n}": Count("pk", filter=Q(start__gte=start, start__lt=end))
            for n, (start, end) in enumerate(bounds)
        },
    )
    return {
        "talk_count": counts["all"],
        "unscheduled_count": counts["unscheduled"],
        "days": [(day, counts[f"day{n}"]) for n, day in enumerate(event.days)],
    }
