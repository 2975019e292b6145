"""Talk and speaker pages."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from schedule.responses import EventMixin
from talks.models import Speaker, Talk


class TalkView(EventMixin, DetailView):
    template_name = "talks/talk_detail.html"
    context_object_name = "talk"

    def get_object(self):
        return get_object_or_404(
            Talk.objects.for_export(),
            event=self.event,
            slug=self.kwargs["slug"],
        )


class SpeakerListView(ListView):
    template_name = "talks/speaker_list.html"
    paginate_by = 200

    def get_queryset(self):
        return Speaker.objects.order_by("name")


class SpeakerView(DetailView):
    """One person across every edition."""

    template_name = "talks/speaker_detail.html"
    context_object_name = "speaker"
    queryset = Speaker.objects.prefetch_related("links")

    def get_context_data(self, **kwargs):
        talks = (
            Talk.objects.filter(speakers=self.object)
            .for_schedule()
            .order_by("-event__start_date", "start")
        )
        return super().get_context_data(talks=list(talks), **kwargs)
