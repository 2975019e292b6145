"""Public schedule pages and exports. Views pick the talks; querysets and pure modules do
the rest (models.py, filters.py, grid.py, ical.py, frab.py)."""

import datetime as dt
import re

from django.db.models import Count, Max, Min, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.generic import DetailView, ListView, TemplateView

from schedule import clock, frab, ical
from schedule.filters import TalkFilter
from schedule.grid import build_grid, now_and_next, starred_overlaps
from schedule.models import Devroom, Event, Room
from schedule.responses import base_url, cached_response, conditional_export, json_bytes
from talks.models import Talk

ICS_TYPE = "text/calendar; charset=utf-8"
SLUG = re.compile(r"[-\w]{1,200}")


def event_talks(event: Event):
    return Talk.objects.filter(event=event).for_schedule()


def filtered_talks(request, event: Event) -> TalkFilter:
    languages = (
        Talk.objects.filter(event=event)
        .exclude(language="")
        .order_by("language")
        .values_list("language", flat=True)
        .distinct()
    )
    return TalkFilter(
        request.GET or None, event_talks(event), event=event, languages=list(languages)
    )


class EventMixin:
    """Resolves <event> from the URL once; 404 for an unknown slug."""

    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(Event, slug=kwargs["event"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["event"] = self.event  # the URL's slug string is replaced by the object
        return super().get_context_data(**kwargs)


def home(request):
    event = Event.objects.current_or_next(clock.now().date())
    if event is None:
        return render(request, "schedule/no_events.html")
    return redirect(event)


class EventListView(ListView):
    template_name = "schedule/event_list.html"

    def get_queryset(self):
        return Event.objects.annotate(
            talk_count=Count("talks", distinct=True),
            room_count=Count("rooms", distinct=True),
            devroom_count=Count("devrooms", distinct=True),
        ).order_by("-start_date")


class EventView(EventMixin, TemplateView):
    template_name = "schedule/event_detail.html"

    def get_context_data(self, **kwargs):
        event = self.event
        talks = Talk.objects.filter(event=event)
        return super().get_context_data(
            devrooms=Devroom.objects.filter(event=event)
            .annotate(
                talk_count=Count("talks"),
                first_start=Min("talks__start"),
                last_end=Max("talks__end"),
            )
            .prefetch_related("default_rooms")
            .order_by("name"),
            rooms=Room.objects.filter(event=event)
            .annotate(talk_count=Count("talks"))
            .order_by("position", "name"),
            days=talks_per_day(event, talks),
            talk_count=talks.count(),
            speaker_count=talks.values("speakers").exclude(speakers=None).distinct().count(),
            unscheduled_count=talks.unscheduled().count(),
            **kwargs,
        )


class CachedPageMixin:
    """Conditional GET and a rendered-page cache, keyed by the event's talks' ETag.

    Public pages carry nothing user-specific, so the same bytes serve everyone until any
    talk, speaker, room, devroom or the event changes.
    """

    page_max_age = 60

    def cache_variant(self) -> str:
        """Extra cache key part for pages that change without data changing (the clock)."""
        return ""

    def get(self, request, *args, **kwargs):
        def render_page() -> bytes:
            return super(CachedPageMixin, self).get(request, *args, **kwargs).render().content

        talks = Talk.objects.filter(event=self.event)
        return cached_response(
            request, talks, render_page, max_age=self.page_max_age, variant=self.cache_variant()
        )


def talks_per_day(event: Event, talks) -> list[tuple[dt.date, int]]:
    """(day, number of talks starting that local day), in one query whatever the days."""
    counts = talks.aggregate(
        **{
            f"day{n}": Count("pk", filter=Q(start__gte=start, start__lt=end))
            for n, (start, end) in enumerate(event.day_bounds(day) for day in event.days)
        }
    )
    return [(day, counts[f"day{n}"]) for n, day in enumerate(event.days)]


class ScheduleView(EventMixin, CachedPageMixin, TemplateView):
    """The programme as a list grouped by day and time, narrowed by TalkFilter."""

    template_name = "schedule/index.html"

    def get_context_data(self, **kwargs):
        talk_filter = filtered_talks(self.request, self.event)
        return super().get_context_data(filter=talk_filter, talks=list(talk_filter.qs), **kwargs)


class GridView(EventMixin, CachedPageMixin, TemplateView):
    """One day: rooms as columns, time as rows."""

    template_name = "schedule/grid.html"

    def get(self, request, *args, **kwargs):
        try:
            self.day = dt.date.fromisoformat(kwargs["day"])
        except ValueError:
            return render(
                request,
                "404.html",
                {
                    "message": f"“{kwargs['day']}” is not a date like 2014-02-01.",
                    "event": self.event,
                },
                status=404,
            )
        if self.day not in self.event.days:
            return render(
                request,
                "404.html",
                {
                    "message": f"{self.event} has no day {self.day:%A %-d %B %Y}.",
                    "event": self.event,
                },
                status=404,
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.pop("day", None)  # the URL's string; self.day is the parsed date
        talk_filter = filtered_talks(self.request, self.event)
        start, end = self.event.day_bounds(self.day)
        talks = list(talk_filter.qs.filter(start__gte=start, start__lt=end))
        rooms = list(self.event.rooms.all())
        feed_query = self.request.GET.copy()
        feed_query["day"] = self.day.isoformat()
        return super().get_context_data(
            filter=talk_filter,
            day=self.day,
            feed_query="?" + feed_query.urlencode(),
            grid=build_grid(talks, rooms, self.event),
            **kwargs,
        )


class NowView(EventMixin, CachedPageMixin, TemplateView):
    """Cached per minute of the clock; loads only talks that have not ended yet."""

    template_name = "schedule/now.html"
    page_max_age = 30

    def get(self, request, *args, **kwargs):
        # One reading of the clock per request, at the minute the cached page stands for.
        self.now = clock.now().replace(second=0, microsecond=0)
        return super().get(request, *args, **kwargs)

    def cache_variant(self) -> str:
        return self.now.strftime("%Y%m%d%H%M")

    def get_context_data(self, **kwargs):
        now = self.now
        talks = event_talks(self.event).scheduled()
        bounds = talks.aggregate(first=Min("start"), last=Max("end"))
        phase = (
            "before"
            if bounds["first"] is None or now < bounds["first"]
            else "after"
            if now >= bounds["last"]
            else "during"
        )
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


def starred_slugs(request) -> list[str]:
    """Slugs from ?talks=a,b; anything that cannot be a slug is dropped (at most 500)."""
    raw = request.GET.get("talks", "")
    slugs = [slug.strip() for slug in raw.split(",")]
    return [slug for slug in slugs if SLUG.fullmatch(slug)][:500]


def starred_talks(event: Event, slugs: list[str]) -> tuple[list[Talk], list[str]]:
    """Talks for the given slugs (in time order) and the slugs that matched nothing."""
    talks = list(event_talks(event).filter(slug__in=slugs))
    found = {talk.slug for talk in talks}
    return talks, [slug for slug in slugs if slug not in found]


class StarredView(EventMixin, TemplateView):
    """The browser's starred set, passed as ?talks=a,b (the script fills it from storage)."""

    template_name = "schedule/starred.html"

    def get_context_data(self, **kwargs):
        slugs = starred_slugs(self.request)
        talks, unknown = starred_talks(self.event, slugs)
        return super().get_context_data(
            talks=talks,
            unknown=unknown,
            overlaps=starred_overlaps(talks),
            talks_param=",".join(t.slug for t in talks),
            **kwargs,
        )


class DevroomView(EventMixin, CachedPageMixin, DetailView):
    template_name = "schedule/devroom_detail.html"
    context_object_name = "devroom"

    def get_object(self):
        return get_object_or_404(
            Devroom.objects.prefetch_related("default_rooms"),
            event=self.event,
            slug=self.kwargs["slug"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            talks=list(event_talks(self.event).filter(devroom=self.object)), **kwargs
        )


class RoomView(EventMixin, CachedPageMixin, DetailView):
    template_name = "schedule/room_detail.html"
    context_object_name = "room"

    def get_object(self):
        return get_object_or_404(Room, event=self.event, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            talks=list(event_talks(self.event).filter(room=self.object)), **kwargs
        )


# -- exports -------------------------------------------------------------------------------


def ical_export(request, talks, *, name: str, events, filename: str, kind: str):
    """A calendar file for `talks` (a queryset), answering 304 when unchanged."""
    talks = talks.scheduled()

    def build():
        return ical.calendar_for(
            talks,
            name=name,
            events=events,
            base_url=base_url(request),
            now=clock.now(),
            kind=kind,
        ).to_ical()

    return conditional_export(request, talks, build, content_type=ICS_TYPE, filename=filename)


def bad_filters(talk_filter: TalkFilter) -> HttpResponse:
    message = "\n".join(["Invalid filter values:", *talk_filter.error_messages()])
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def schedule_ics(request, event):
    event = get_object_or_404(Event, slug=event)
    talk_filter = filtered_talks(request, event)
    if talk_filter.is_bound and not talk_filter.is_valid():
        return bad_filters(talk_filter)
    suffix = "" if not request.GET else " (filtered)"
    return ical_export(
        request,
        talk_filter.qs,
        name=f"{event.name}{suffix}",
        events=[event],
        filename=f"{event.slug}.ics",
        kind="Schedule",
    )


def devroom_ics(request, event, slug):
    devroom = get_object_or_404(
        Devroom.objects.select_related("event"), event__slug=event, slug=slug
    )
    talks = event_talks(devroom.event).filter(devroom=devroom)
    return ical_export(
        request,
        talks,
        name=f"{devroom.event.name} — {devroom.name}",
        events=[devroom.event],
        filename=f"{event}-{slug}.ics",
        kind="Devroom",
    )


def room_ics(request, event, slug):
    room = get_object_or_404(Room.objects.select_related("event"), event__slug=event, slug=slug)
    talks = event_talks(room.event).filter(room=room)
    return ical_export(
        request,
        talks,
        name=f"{room.event.name} — {room.name}",
        events=[room.event],
        filename=f"{event}-{slug}.ics",
        kind="Room",
    )


def starred_ics(request, event):
    event = get_object_or_404(Event, slug=event)
    slugs = starred_slugs(request)
    talks = event_talks(event).filter(slug__in=slugs)
    response = ical_export(
        request,
        talks,
        name=f"{event.name} — starred talks",
        events=[event],
        filename=f"{event.slug}-starred.ics",
        kind="Starred",
    )
    found = set(talks.values_list("slug", flat=True))
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        response["X-Unknown-Talks"] = ",".join(unknown)[:2000]
    return response


def frab_export(request, event_slug: str, render_data, *, content_type: str, extension: str):
    event = get_object_or_404(Event, slug=event_slug)
    talk_filter = filtered_talks(request, event)
    if talk_filter.is_bound and not talk_filter.is_valid():
        return bad_filters(talk_filter)
    talks = talk_filter.qs.scheduled().with_links()

    def build():
        talk_list = list(talks)
        latest = max((t.updated for t in talk_list), default=None)
        data = frab.schedule_data(
            event,
            talk_list,
            rooms=list(event.rooms.all()),
            devrooms=list(event.devrooms.all()),
            base_url=base_url(request),
            version=latest.strftime("%Y-%m-%d %H:%M:%S") if latest else "empty",
        )
        return render_data(data)

    return conditional_export(
        request,
        talks,
        build,
        content_type=content_type,
        filename=f"{event.slug}-schedule.{extension}",
    )


def schedule_xml(request, event):
    return frab_export(
        request,
        event,
        lambda data: render_to_string("schedule/frab.xml", {"data": data}).encode(),
        content_type="application/xml; charset=utf-8",
        extension="xml",
    )


def schedule_json(request, event):
    return frab_export(
        request, event, json_bytes, content_type="application/json; charset=utf-8", extension="json"
    )
