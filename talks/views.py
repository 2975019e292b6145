"""Talk and speaker pages, and their calendar files."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from schedule.models import Event
from schedule.views import EventMixin, ical_export
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


def talk_ics(request, event, slug):
    event = get_object_or_404(Event, slug=event)
    talks = Talk.objects.filter(event=event, slug=slug).for_schedule()
    talk = get_object_or_404(talks)
    return ical_export(
        request,
        talks,
        name=f"{event.name} — {talk.title}",
        events=[event],
        filename=f"{slug}.ics",
        kind="Talk",
    )


def speaker_ics(request, slug):
    speaker = get_object_or_404(Speaker, slug=slug)
    talks = Talk.objects.filter(speakers=speaker).for_schedule()
    events = Event.objects.filter(talks__speakers=speaker).distinct()
    return ical_export(
        request,
        talks,
        name=f"{speaker.name} — talks",
        events=events,
        filename=f"{slug}.ics",
        kind="Speaker",
    )
