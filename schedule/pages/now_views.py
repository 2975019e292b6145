"""What is on now and next, per room."""

import datetime as dt

from django.db.models import Max, Min
from django.views.generic import TemplateView

from schedule import clock
from schedule.pages.nownext import now_and_next
from schedule.responses import CachedPageMixin, EventMixin
from talks.filters import event_talks


class NowView(CachedPageMixin, EventMixin, TemplateView):
    """Cached per minute of the clock; loads only talks that have not ended yet."""

    template_name = "schedule/now.html"

    def prepare(self, request, *args, **kwargs):
        # One reading of the clock per request, at the minute the cached page stands for.
        self.now = clock.now().replace(second=0, microsecond=0)

    def cache_variant(self) -> str:
        return self.now.strftime("%Y%m%d%H%M")

    def get_context_data(self, **kwargs):
        now = self.now
        talks = event_talks(self.event).scheduled()
        bounds = talks.aggregate(first=Min("start"), last=Max("end"))
        if bounds["first"] is None or now < bounds["first"]:
            phase = "before"
        elif now >= bounds["last"]:
            phase = "after"
        else:
            phase = "during"
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
