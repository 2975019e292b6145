"""The site's entry points: home redirect, the list of editions, one edition's home."""

import datetime as dt

from django.db.models import Case, Count, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.views.generic import ListView, TemplateView

from schedule import clock
from schedule.models import Devroom, Event, Room
from schedule.responses import CachedPageMixin, EventMixin
from talks.models import Talk

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
            devrooms=Devroom.objects.filter(event=event)
            .annotate(
                talk_count=Count("talks", filter=PUBLIC),
                first_start=Min("talks__start", filter=PUBLIC),
                last_end=Max("talks__end", filter=PUBLIC),
            )
            .filter(talk_count__gt=0)
            .prefetch_related("default_rooms")
            .order_by("name"),
            rooms=rooms_by_building(event),
            speaker_count=talks.values("speakers").exclude(speakers=None).distinct().count(),
            **talk_counts(event, talks),
            **kwargs,
        )


def rooms_by_building(event: Event):
    """Rooms that have talks, with talk_count, ordered for {% regroup %} by building:
    buildings A–Z, then the rooms without one; display order within a building."""
    return (
        Room.objects.filter(event=event)
        .annotate(
            talk_count=Count("talks", filter=PUBLIC),
            no_building=Case(When(building="", then=Value(1)), default=Value(0)),
        )
        .filter(talk_count__gt=0)
        .order_by("no_building", "building", "position", "name")
    )


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
