"""The event's search page: matching devrooms and speakers first, then the talks in search
order (schedule.search.queries)."""

from django.views.generic import TemplateView

from schedule.pages.list_views import FilteredListMixin
from schedule.pages.pieces import list_rows
from schedule.releases.queries import latest_changed_guids
from talks.filters import filtered_talks

MAX_SPEAKERS = 50


class SearchView(FilteredListMixin, TemplateView):
    """/<event>/search/?q=…, with the schedule's filters also applying to the talks."""

    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        talk_filter = filtered_talks(self.request, self.event)
        context = super().get_context_data(**kwargs)
        talks, speakers, devrooms = [], [], []
        if query:  # the talks' stored rows (schedule.pieces)
            changed = latest_changed_guids(self.event)
            rows = talk_filter.search.rank(self.talk_rows(talk_filter.qs))
            talks = list_rows(rows, self.event, changed, show_day=True)
            speakers = talk_filter.search.speakers(MAX_SPEAKERS)
            devrooms = talk_filter.search.devrooms()
        return context | {
            "query": query,
            "filter": talk_filter,
            "talks": talks,
            "speakers": speakers,
            "devrooms": devrooms,
        }
