"""The event's search page: matching speakers first, then matching talks, titles first."""

from django.views.generic import TemplateView

from schedule.pages.pieces import list_rows
from schedule.pieces.stamps import talk_rows
from schedule.releases.queries import latest_changed_guids
from schedule.responses import CachedPageMixin, EventMixin
from schedule.search.queries import event_speakers, rank_by_title, search_speakers
from talks.filters import FILTER_NAMES, filtered_talks

MAX_SPEAKERS = 50


class SearchView(CachedPageMixin, EventMixin, TemplateView):
    """/<event>/search/?q=…, with the schedule's filters also applying to the talks."""

    template_name = "search/results.html"
    cache_params = FILTER_NAMES

    def is_shared(self, request) -> bool:
        return not request.GET.get("q", "").strip()  # free text: never stored

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        talk_filter = filtered_talks(self.request, self.event)
        context = super().get_context_data(**kwargs)
        talks, speakers = [], []
        if query:  # the talks' stored rows (schedule.pieces), titles matching first
            found = rank_by_title(talk_rows(talk_filter.qs), query)
            changed = latest_changed_guids(self.event)
            talks = list_rows(found, self.event, changed, show_day=True)
            speakers = list(search_speakers(event_speakers(self.event), query)[:MAX_SPEAKERS])
        return context | {
            "query": query,
            "filter": talk_filter,
            "talks": talks,
            "speakers": speakers,
        }
