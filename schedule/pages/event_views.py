"""The site's entry points: home redirect, the list of editions, one edition's home."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.views.generic import ListView, TemplateView

from schedule import clock
from schedule.models import Devroom, Event, Room
from schedule.pages.summary import programme_summary
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
        summary = programme_summary(event)
        public = TalkSpeaker.objects.filter(talk__event=event, talk__is_draft=False)
        return super().get_context_data(
            devrooms=devrooms_with_talks(event, summary.devrooms),
            rooms=rooms_by_building(event, summary.rooms),
            speaker_count=public.values("speaker").distinct().count(),
            talk_count=summary.talk_count,
            unscheduled_count=summary.unscheduled_count,
            days=summary.days,
            **kwargs,
        )


def devrooms_with_talks(event: Event, stats: dict[int, list]) -> list[Devroom]:
    """Devrooms that have talks, by name, each with talk_count, its `room_names` and its
    `span` ("Sat 10:30–Sat 17:00" in the event's zone), ready-made: a template filter per
    value, over a hundred devrooms, was most of the event home's cost."""
    shown = (
        Devroom.objects.filter(event=event).only("event", "name", "slug", "colour").order_by("name")
    )
    devrooms = [devroom for devroom in shown if devroom.pk in stats]
    room_names: dict[int, list[str]] = {}
    for devroom_id, name in (
        Devroom.default_rooms.through.objects.filter(devroom__event=event)
        .order_by("room__position", "room__name")
        .values_list("devroom_id", "room__name")
    ):
        room_names.setdefault(devroom_id, []).append(name)
    tz = event.tzinfo
    for devroom in devrooms:
        devroom.event = event  # for its URL, without a query each
        devroom.talk_count, devroom.first_start, devroom.last_end = stats[devroom.pk]
        first, last = devroom.first_start, devroom.last_end
        devroom.room_names = ", ".join(room_names.get(devroom.pk, []))
        devroom.span = (
            f"{first.astimezone(tz):%a %H:%M}–{last.astimezone(tz):%a %H:%M}" if first else ""
        )
    return devrooms


def rooms_by_building(event: Event, talk_counts: dict[int, int]) -> list[Room]:
    """Rooms that have talks, with talk_count, ordered for {% regroup %} by building:
    buildings A–Z, then the rooms without one; display order within a building."""
    shown = Room.objects.filter(event=event).only(
        "event", "name", "slug", "building", "floor", "capacity", "position"
    )
    rooms = [room for room in shown if room.pk in talk_counts]
    for room in rooms:
        room.event = event
        room.talk_count = talk_counts[room.pk]
    return sorted(rooms, key=lambda r: (r.building == "", r.building, r.position, r.name))
