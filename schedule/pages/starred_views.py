"""The attendee's starred talks (kept in the browser, passed as ?talks=)."""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from schedule.live import limits
from schedule.pages.overlaps import Timeline
from schedule.responses import EventMixin
from talks.filters import event_talks, starred_slugs


@method_decorator(cache_control(private=True, max_age=0), name="dispatch")
class StarredView(EventMixin, TemplateView):
    """/<event>/starred/: your stars (static/js/stars.js reads them from this browser and
    fetches ?talks=), or with ?talks=a,b a shared selection, shown as someone else's: opening
    it never changes your stars. Private: it carries this browser's agenda creation token."""

    template_name = "schedule/starred.html"

    def get_context_data(self, **kwargs):
        slugs = starred_slugs(self.request)
        talks = list(event_talks(self.event).filter(slug__in=slugs))  # in time order
        found = {talk.slug for talk in talks}
        timeline = Timeline(talks, key=lambda talk: talk.pk)
        return super().get_context_data(
            talks=talks,
            unknown=[slug for slug in slugs if slug not in found],
            # Each talk's overlaps with the other starred talks (a few named).
            overlaps={talk.pk: its for talk in talks if (its := timeline.overlaps(talk))},
            talks_param=",".join(t.slug for t in talks),
            shared="talks" in self.request.GET,
            creation_token=limits.new_token(self.request),
            **kwargs,
        )
