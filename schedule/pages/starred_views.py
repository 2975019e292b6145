"""The attendee's starred talks (kept in the browser, passed as ?talks=)."""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from schedule.live import creation
from schedule.models import Event
from schedule.pages.grid import starred_overlaps
from schedule.responses import EventMixin
from talks.filters import event_talks, starred_slugs
from talks.models import Talk


def starred_talks(event: Event, slugs: list[str]) -> tuple[list[Talk], list[str]]:
    """Talks for the given slugs (in time order) and the slugs that matched nothing."""
    talks = list(event_talks(event).filter(slug__in=slugs))
    found = {talk.slug for talk in talks}
    return talks, [slug for slug in slugs if slug not in found]


@method_decorator(cache_control(private=True, max_age=0), name="dispatch")
class StarredView(EventMixin, TemplateView):
    """/<event>/starred/: your stars (static/js/stars.js reads them from this browser and
    fetches ?talks=), or with ?talks=a,b a shared selection, shown as someone else's: opening
    it never changes your stars. Private: it carries this browser's agenda creation token."""

    template_name = "schedule/starred.html"

    def get_context_data(self, **kwargs):
        slugs = starred_slugs(self.request)
        talks, unknown = starred_talks(self.event, slugs)
        return super().get_context_data(
            talks=talks,
            unknown=unknown,
            overlaps=starred_overlaps(talks),
            talks_param=",".join(t.slug for t in talks),
            shared="talks" in self.request.GET,
            creation_token=creation.new_token(self.request),
            **kwargs,
        )
