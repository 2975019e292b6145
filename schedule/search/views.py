"""The event's search page: matching speakers first, then matching talks, titles first."""

from django.views.generic import TemplateView

from schedule.pages.list_views import FilteredListMixin
from schedule.pages.pieces import list_rows
from schedule.releases.queries import latest_changed_guids
from schedule.search.queries import event_speakers, search_speakers
from talks.filters import filtered_talks

MAX_SPEAKERS = 50


class SearchView(FilteredListMixin, TemplateView):
    """/<event>/search/?q=…, with the schedule's filters also applying to the talks."""

    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        talk_filter = filtered_talks(self.request, self.event)
        context = super().get_context_data(**kwargs)
        talks, speakers = [], []
        if query:  # the talks' stored rows (schedule.pieces), titles matching first
            changed = latest_changed_guids(self.event)
            talks = list_rows(self.talk_rows(talk_filter.qs), self.event, changed, show_day=True)
            speakers = list(search_speakers(event_speakers(self.event), query)[:MAX_SPEAKERS])
        return context | {
            "query": query,
            "filter": talk_filter,
            "talks": talks,
            "speakers": speakers,
        }
