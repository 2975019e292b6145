"""The programme as lists: one day (the default), the whole event, the unscheduled. Nothing
here reads the clock, so every page can be cached; "jump to now" and "today" are worked out
in the browser (static/js/schedule_day.js)."""

import datetime as dt

from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.views.generic import TemplateView

from schedule.models import Event
from schedule.pages import pieces
from schedule.pieces.stamps import talk_rows
from schedule.releases.queries import latest_changed_guids
from schedule.responses import CachedPageMixin, EventMixin
from talks.filters import FILTER_NAMES, filtered_talks


def chosen_day(event: Event, raw: str | None) -> tuple[dt.date | None, str]:
    """(day, message): the named day, else the event's first day and why (if something was
    asked for). None for an event without days."""
    days = event.days
    if not days:
        return None, ""
    if not raw:
        return days[0], ""
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return days[0], f"“{raw}” is not a date like {days[0].isoformat()}."
    if day not in days:
        return days[0], f"{event} has no day {day:%A %-d %B %Y}."
    return day, ""


def without_day(query) -> dict:
    """The query's filters minus `day` (the day is chosen by the page, not the filter)."""
    data = query.copy()
    data.pop("day", None)
    return data


def matches_per_day(queryset, event: Event) -> list[tuple[dt.date, int]]:
    """(day, talks) for the days where `queryset` has talks, in one query: where an empty
    day's filters would find something."""
    bounds = {day: event.day_bounds(day) for day in event.days}
    counts = queryset.order_by().aggregate(
        **{
            day.isoformat(): Count("pk", filter=Q(start__gte=start, start__lt=end))
            for day, (start, end) in bounds.items()
        }
    )
    return [(day, counts[day.isoformat()]) for day in bounds if counts[day.isoformat()]]


def talks_on(queryset, event: Event, day: dt.date):
    start, end = event.day_bounds(day)
    return queryset.filter(start__gte=start, start__lt=end)


class FilteredListMixin(CachedPageMixin, EventMixin):
    cache_params = FILTER_NAMES

    def is_shared(self, request) -> bool:
        return not request.GET.get("q", "").strip()  # free text: never stored

    def talk_rows(self, queryset):
        """The talks (TalkRow) in time order: lists group them by day and time slot."""
        return talk_rows(queryset)


class DayListView(FilteredListMixin, TemplateView):
    """/<event>/schedule/?day=YYYY-MM-DD: one day's talks under time-slot headings. Without
    `day`, redirects to the first day with `#today`, which the browser turns into the current
    day while the event is on: the redirect itself never depends on the clock."""

    template_name = "schedule/day_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD") and "day" not in request.GET:
            event = Event.objects.filter(slug=kwargs["event"]).only("start_date", "end_date")
            event = event.first()
            if event is not None and event.days:
                query = request.GET.copy()
                query["day"] = event.days[0].isoformat()
                return HttpResponseRedirect(f"?{query.urlencode()}#today")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        day, message = chosen_day(self.event, self.request.GET.get("day"))
        talk_filter = filtered_talks(self.request, self.event, without_day(self.request.GET))
        queryset = talk_filter.qs if day is None else talks_on(talk_filter.qs, self.event, day)
        rows = self.talk_rows(queryset)
        narrowed = day is not None and not rows and talk_filter.active_filters()
        return super().get_context_data(
            filter=talk_filter,
            other_days=matches_per_day(talk_filter.qs, self.event) if narrowed else [],
            day=day,
            day_message=message,
            talks=rows,
            slots=pieces.slots(rows, self.event, latest_changed_guids(self.event)),
            unscheduled_count=talk_filter.qs.filter(start__isnull=True).count(),
            **kwargs,
        )


class AllTalksView(FilteredListMixin, TemplateView):
    """/<event>/schedule/all/: every talk of the event on one page (print, search engines)."""

    template_name = "schedule/all_list.html"

    def get_context_data(self, **kwargs):
        talk_filter = filtered_talks(self.request, self.event)
        rows = self.talk_rows(talk_filter.qs)
        return super().get_context_data(
            filter=talk_filter,
            talks=rows,
            days=pieces.days(rows, self.event, latest_changed_guids(self.event)),
            **kwargs,
        )


class UnscheduledView(FilteredListMixin, TemplateView):
    """/<event>/schedule/tba/: talks whose time is still to be announced."""

    template_name = "schedule/tba_list.html"

    def get_context_data(self, **kwargs):
        talk_filter = filtered_talks(self.request, self.event, without_day(self.request.GET))
        rows = talk_rows(talk_filter.qs.filter(start__isnull=True))
        return super().get_context_data(
            filter=talk_filter,
            rows=pieces.list_rows(rows, self.event, latest_changed_guids(self.event)),
            **kwargs,
        )
