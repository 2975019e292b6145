"""One day as a grid (rooms as columns, time as rows) or, with `?view=agenda`, as an agenda
for phones: chosen by parameter (offered by CSS on narrow screens), never by user agent, so
one cached page serves every browser."""

from django.shortcuts import render
from django.views.generic import TemplateView

from schedule.pages import pieces
from schedule.pages.grid import build_grid
from schedule.pages.list_views import (
    FilteredListMixin,
    chosen_day,
    matches_per_day,
    talks_on,
    without_day,
)
from schedule.pieces.stamps import talk_rows
from schedule.releases.queries import latest_changed_guids
from talks.filters import FILTER_NAMES, filtered_talks


class GridView(FilteredListMixin, TemplateView):
    """/<event>/schedule/<YYYY-MM-DD>/[?view=agenda]"""

    # The day comes from the URL (a ?day= is ignored), so it is not part of the key.
    cache_params = (*(name for name in FILTER_NAMES if name != "day"), "view")

    def prepare(self, request, *args, **kwargs):
        """A ?view= other than "agenda" shows the grid: the same page, the same key."""
        if request.GET.get("view") != "agenda":
            request.GET = request.GET.copy()
            request.GET.pop("view", None)

    def get_template_names(self):
        if self.request.GET.get("view") == "agenda":
            return ["schedule/agenda.html"]
        return ["schedule/grid.html"]

    def get(self, request, *args, **kwargs):
        self.day, message = chosen_day(self.event, kwargs["day"])
        if message or self.day is None:
            message = message or f"{self.event} has no days."
            return render(
                request, "404.html", {"message": message, "event": self.event}, status=404
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.pop("day", None)  # the URL's string; self.day is the parsed date
        talk_filter = filtered_talks(self.request, self.event, without_day(self.request.GET))
        rows = talk_rows(talks_on(talk_filter.qs, self.event, self.day))
        changed = latest_changed_guids(self.event)
        grid = build_grid(rows, talk_filter.rooms, self.event)
        if self.request.GET.get("view") == "agenda":
            kwargs["slots"] = pieces.slots(rows, self.event, changed)
        else:
            pieces.place_cards(grid, self.event, changed)
            kwargs["unplaced"] = pieces.list_rows(grid.unplaced, self.event, changed)
        feed_query = without_day(self.request.GET)
        feed_query.pop("view", None)
        feed_query["day"] = self.day.isoformat()
        narrowed = not rows and talk_filter.active_filters()
        return super().get_context_data(
            filter=talk_filter,
            other_days=matches_per_day(talk_filter.qs, self.event) if narrowed else [],
            day=self.day,
            feed_query="?" + feed_query.urlencode(),
            grid=grid,
            **kwargs,
        )
