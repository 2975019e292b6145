"""The programme of one edition: the filtered list and the day grid."""

import datetime as dt

from django.shortcuts import render
from django.views.generic import TemplateView

from schedule.pages.grid import build_grid
from schedule.responses import CachedPageMixin, EventMixin
from talks.filters import FILTER_NAMES, filtered_talks


class ScheduleView(CachedPageMixin, EventMixin, TemplateView):
    """The programme as a list grouped by day and time, narrowed by TalkFilter."""

    cache_params = FILTER_NAMES

    def is_shared(self, request) -> bool:
        return not request.GET.get("q", "").strip()  # free text: never stored

    template_name = "schedule/index.html"

    def get_context_data(self, **kwargs):
        talk_filter = filtered_talks(self.request, self.event)
        talks = talk_filter.qs.export_list(links=False, event=self.event)
        return super().get_context_data(filter=talk_filter, talks=talks, **kwargs)


class GridView(CachedPageMixin, EventMixin, TemplateView):
    """One day: rooms as columns, time as rows."""

    cache_params = FILTER_NAMES

    def is_shared(self, request) -> bool:
        return not request.GET.get("q", "").strip()

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
        talks = talk_filter.qs.filter(start__gte=start, start__lt=end).export_list(
            links=False, event=self.event
        )
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
