"""Talk and speaker pages. A speaker page also exists inside an event, keeping its navigation;
it names the site-wide page as canonical (reading the Referer would defeat caching)."""

from itertools import groupby

from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import DetailView, TemplateView

from schedule.releases.queries import last_move
from schedule.releases.wording import describe
from schedule.responses import CachedPageMixin, EventMixin
from schedule.search.queries import event_speakers, search_speakers
from talks.identity import name_key
from talks.models import Speaker, SpeakerRedirect, Talk


class TalkView(CachedPageMixin, EventMixin, DetailView):
    template_name = "talks/talk_detail.html"
    context_object_name = "talk"

    def get_queryset(self):
        return Talk.objects.for_export().filter(event=self.event)

    def get_context_data(self, **kwargs):
        history = None
        if change := last_move(self.object):
            text = describe(change.kind, change.old, change.new, self.event.tzinfo)
            history = {"change": change, "text": text}
        return super().get_context_data(history=history, **kwargs)


def initial(speaker: Speaker) -> str:
    """The letter a speaker is filed under: first letter of the folded name, else "#"."""
    first = (speaker.name_key or name_key(speaker.name))[:1].upper()
    return first if first.isalpha() and first.isascii() else "#"


class SpeakerDirectoryMixin(CachedPageMixin):
    """One alphabetical page with a letter index; ?q= narrows it (also typed, in the browser)."""

    template_name = "talks/speaker_list.html"
    cache_params = ("q",)

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        speakers = self.speakers().only("name", "slug", "name_key")
        if query:
            speakers = search_speakers(speakers, query)
        ordered = speakers.order_by("name_key", "pk")
        letters = [(letter, list(group)) for letter, group in groupby(ordered, initial)]
        count = sum(len(group) for _letter, group in letters)
        return super().get_context_data(query=query, letters=letters, speaker_count=count, **kwargs)


class SpeakerListView(SpeakerDirectoryMixin, TemplateView):
    """/speakers/: everyone who spoke at any edition."""

    site_wide = True

    def speakers(self):
        return Speaker.objects.public()


class EventSpeakerListView(SpeakerDirectoryMixin, EventMixin, TemplateView):
    """/<event>/speakers/: the people of one edition."""

    def speakers(self):
        return event_speakers(self.event)


class SpeakerPage(DetailView):
    """One person across every edition, newest edition first."""

    template_name = "talks/speaker_detail.html"
    context_object_name = "speaker"
    queryset = Speaker.objects.prefetch_related("links")

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:  # an old URL (merged or renamed) redirects permanently
            speaker = SpeakerRedirect.target(kwargs["slug"])
            if speaker is None:
                raise
            if not hasattr(self, "event"):
                return redirect(speaker, permanent=True)
            return redirect("talks:event_speaker", self.event.slug, speaker.slug, permanent=True)

    def get_object(self, queryset=None):
        """A person whose only talks are drafts is not public yet."""
        speaker = super().get_object(queryset)
        if speaker.only_in_drafts():
            raise Http404("No such speaker.")
        return speaker

    def get_context_data(self, **kwargs):
        talks = Talk.objects.filter(speakers=self.object).for_schedule()
        talks = talks.order_by("-event__start_date", "start")
        return super().get_context_data(talks=list(talks), **kwargs)


class SpeakerView(CachedPageMixin, SpeakerPage):
    """/speakers/<slug>/: the canonical speaker page."""

    site_wide = True


class EventSpeakerView(CachedPageMixin, EventMixin, SpeakerPage):
    """/<event>/speakers/<slug>/: the same page inside an event's navigation."""

    site_wide = True  # it lists the person's talks of every edition
