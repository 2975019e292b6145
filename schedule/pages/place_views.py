"""A devroom's and a room's own pages."""

from django.views.generic import DetailView

from schedule.models import Devroom, Room
from schedule.pages import pieces
from schedule.pieces.stamps import talk_rows
from schedule.releases.queries import latest_changed_guids
from schedule.responses import CachedPageMixin, EventMixin
from talks.filters import event_talks


class PlaceView(CachedPageMixin, EventMixin, DetailView):
    """The place (by slug, in the URL's event) and its talks by day and slot."""

    one_per_talk = False  # each talk its own slot (see pieces.days)

    def get_queryset(self):
        return super().get_queryset().filter(event=self.event)

    def get_context_data(self, **kwargs):
        rows = talk_rows(event_talks(self.event).filter(**{self.context_object_name: self.object}))
        changed = latest_changed_guids(self.event)
        return super().get_context_data(
            talks=rows,
            days=pieces.days(rows, self.event, changed, one_per_talk=self.one_per_talk),
            **kwargs,
        )


class DevroomView(PlaceView):
    template_name = "schedule/devroom_detail.html"
    context_object_name = "devroom"
    queryset = Devroom.objects.prefetch_related("default_rooms")


class RoomView(PlaceView):
    template_name = "schedule/room_detail.html"
    context_object_name = "room"
    model = Room
    one_per_talk = True
