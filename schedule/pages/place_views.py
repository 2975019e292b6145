"""A devroom's and a room's own pages."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from schedule.models import Devroom, Room
from schedule.pages import pieces
from schedule.pieces.stamps import talk_rows
from schedule.releases.queries import latest_changed_guids
from schedule.responses import CachedPageMixin, EventMixin
from talks.filters import event_talks


class DevroomView(CachedPageMixin, EventMixin, DetailView):
    template_name = "schedule/devroom_detail.html"
    context_object_name = "devroom"

    def get_object(self):
        return get_object_or_404(
            Devroom.objects.prefetch_related("default_rooms"),
            event=self.event,
            slug=self.kwargs["slug"],
        )

    def get_context_data(self, **kwargs):
        rows = talk_rows(event_talks(self.event).filter(devroom=self.object))
        return super().get_context_data(
            talks=rows,
            days=pieces.days(rows, self.event, latest_changed_guids(self.event)),
            **kwargs,
        )


class RoomView(CachedPageMixin, EventMixin, DetailView):
    template_name = "schedule/room_detail.html"
    context_object_name = "room"

    def get_object(self):
        return get_object_or_404(Room, event=self.event, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        rows = talk_rows(event_talks(self.event).filter(room=self.object))
        return super().get_context_data(
            talks=rows,
            days=pieces.days(rows, self.event, latest_changed_guids(self.event), one_per_talk=True),
            **kwargs,
        )
