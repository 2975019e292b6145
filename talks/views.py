"""Talk and speaker pages."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView

from schedule.responses import CachedPageMixin, EventMixin
from talks.models import Speaker, SpeakerRedirect, Talk


def moved_speaker(slug: str):
    """A permanent redirect for an old speaker URL (merged or renamed), else None."""
    speaker = SpeakerRedirect.target(slug)
    return redirect(speaker, permanent=True) if speaker else None


class TalkView(CachedPageMixin, EventMixin, DetailView):
    template_name = "talks/talk_detail.html"
    context_object_name = "talk"

    def get_object(self):
        return get_object_or_404(
            Talk.objects.for_export(),
            event=self.event,
            slug=self.kwargs["slug"],
        )


class SpeakerListView(CachedPageMixin, ListView):
    template_name = "talks/speaker_list.html"
    paginate_by = 200
    site_wide = True
    cache_params = ("page",)

    def get_queryset(self):
        return Speaker.objects.order_by("name")


class SpeakerView(CachedPageMixin, DetailView):
    """One person across every edition."""

    site_wide = True

    template_name = "talks/speaker_detail.html"
    context_object_name = "speaker"
    queryset = Speaker.objects.prefetch_related("links")

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            response = moved_speaker(kwargs["slug"])
            if response is None:
                raise
            return response

    def get_context_data(self, **kwargs):
        talks = (
            Talk.objects.filter(speakers=self.object)
            .for_schedule()
            .order_by("-event__start_date", "start")
        )
        return super().get_context_data(talks=list(talks), **kwargs)
