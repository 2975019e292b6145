"""Calendar feeds and frab exports: the views pick the talks, ical.py/frab.py shape them.
Every export goes through schedule.caching (304, the stored gzipped body, or one build),
since hundreds of calendar apps poll the whole-event files."""

from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect

from schedule import caching
from schedule.exports import frab, frab_xml, pieces
from schedule.exports.pieces import calendar_bytes
from schedule.models import Devroom, Event, Room
from schedule.pieces.stamps import talk_rows
from schedule.releases.queries import UnknownRelease, release_named
from schedule.responses import base_url
from talks.filters import FILTER_NAMES, asks_for_filters, event_talks, filtered_talks, starred_slugs
from talks.models import Speaker, SpeakerRedirect, Talk

ICS_TYPE = "text/calendar; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"


def export(
    request, marker, build, *, name, filename, content_type=ICS_TYPE, params=(), shared=True
):
    """Serve build(request) -> bytes (or a response, e.g. a 400) as a cached download."""

    def render(canonical):
        body = build(canonical)
        if isinstance(body, HttpResponse):
            return body
        response = HttpResponse(body, content_type=content_type)
        disposition = "attachment" if canonical.GET.get("download") else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
        return response

    response = caching.serve(
        request, marker, render, name=name, params=(*params, "download"), shared=shared
    )
    if response.status_code in (200, 304):
        response["Access-Control-Allow-Origin"] = "*"  # apps and web tools fetch these
    return response


def event_marker_or_404(slug: str) -> caching.Marker:
    marker = caching.event_marker(slug)
    if marker is None:
        raise Http404("No such event.")
    return marker


def chosen_talks(request, event: Event):
    """The event's talks that the request's filters choose, or a 400 for bad values (no
    FilterSet without filter values: django-filter copies every filter for each one)."""
    if not asks_for_filters(request.GET):
        return event_talks(event)
    talk_filter = filtered_talks(request, event)
    if not talk_filter.is_valid():
        message = "\n".join(["Invalid filter values:", *talk_filter.error_messages()])
        return HttpResponseBadRequest(message, content_type=TEXT_TYPE)
    return talk_filter.qs


def schedule_ics(request, event):
    def build(request):
        the_event = get_object_or_404(Event, slug=event)
        talks = chosen_talks(request, the_event)
        if isinstance(talks, HttpResponse):
            return talks
        name = f"{the_event.name} (filtered)" if request.GET else the_event.name
        return calendar_bytes(request, talks, name=name, events=[the_event], kind="Schedule")

    return export(
        request,
        event_marker_or_404(event),
        build,
        name="schedule.ics",
        filename=f"{event}.ics",
        params=FILTER_NAMES,
        shared=not request.GET.get("q", "").strip(),
    )


def place_ics(request, event, slug, model, kind: str):
    """A devroom's or a room's calendar."""

    def build(request):
        place = get_object_or_404(
            model.objects.select_related("event"), event__slug=event, slug=slug
        )
        talks = event_talks(place.event).filter(**{kind.lower(): place})
        name = f"{place.event.name} — {place.name}"
        return calendar_bytes(request, talks, name=name, events=[place.event], kind=kind)

    marker = event_marker_or_404(event)
    return export(request, marker, build, name=f"{kind}.ics", filename=f"{event}-{slug}.ics")


def devroom_ics(request, event, slug):
    return place_ics(request, event, slug, Devroom, "Devroom")


def room_ics(request, event, slug):
    return place_ics(request, event, slug, Room, "Room")


def starred_ics(request, event):
    """A personal list (?talks=a,b): answers 304, but its body is never stored."""
    slugs = starred_slugs(request)

    def build(request):
        the_event = get_object_or_404(Event, slug=event)
        talks = event_talks(the_event).filter(slug__in=slugs)
        name = f"{the_event.name} — starred talks"
        return calendar_bytes(request, talks, name=name, events=[the_event], kind="Starred")

    response = export(
        request,
        event_marker_or_404(event),
        build,
        name="starred.ics",
        filename=f"{event}-starred.ics",
        params=("talks",),
        shared=False,
    )
    if response.status_code == 200:
        public = Talk.objects.filter(event__slug=event, slug__in=slugs).public()
        found = set(public.values_list("slug", flat=True))
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            response["X-Unknown-Talks"] = ",".join(unknown)[:2000]
    return response


def talk_ics(request, event, slug):
    def build(request):
        talks = Talk.objects.filter(event__slug=event, slug=slug).for_schedule()
        talk = get_object_or_404(talks)
        name = f"{talk.event.name} — {talk.title}"
        return calendar_bytes(request, talks, name=name, events=[talk.event], kind="Talk")

    marker = event_marker_or_404(event)
    return export(request, marker, build, name="talk.ics", filename=f"{slug}.ics")


def speaker_ics(request, slug):
    def build(request):
        speaker = Speaker.objects.filter(slug=slug).first()
        if speaker is None:
            moved = SpeakerRedirect.target(slug)
            if moved is None:
                raise Http404("No such speaker.")
            return redirect("exports:speaker_ics", moved.slug, permanent=True)
        if speaker.only_in_drafts():
            raise Http404("No such speaker.")  # only drafts so far: not public yet
        talks = Talk.objects.filter(speakers=speaker).for_schedule()
        events = Event.objects.filter(talks__speakers=speaker, talks__is_draft=False).distinct()
        name = f"{speaker.name} — talks"
        return calendar_bytes(request, talks, name=name, events=events, kind="Speaker")

    return export(request, caching.site_marker(), build, name="speaker.ics", filename=f"{slug}.ics")


def export_version(event: Event) -> str:
    """The latest release's name (with the live marker after unreleased edits), else the
    time of the event's latest edit (its change marker)."""
    release = event.releases.only("version", "marker").first()
    if release is not None:
        return release.export_version(event.changed)
    return event.changed.strftime("%Y-%m-%d %H:%M:%S") if event.changed else "empty"


def frab_export(request, event_slug: str, render_data, *, content_type: str, extension: str):
    def build(request):
        event = get_object_or_404(Event, slug=event_slug)
        if version := request.GET.get("version", "").strip():
            # The schedule exactly as that release published it (filters do not apply).
            try:
                return render_data(release_named(event, version).document)
            except UnknownRelease as error:
                return HttpResponseNotFound(str(error), content_type=TEXT_TYPE)
        talks = chosen_talks(request, event)
        if isinstance(talks, HttpResponse):
            return talks
        rows = talk_rows(talks.scheduled().order_by("start"))
        root = base_url(request)
        version = export_version(event)
        entries = pieces.frab_entries(event, rows, extension, root)
        return render_data(
            frab.schedule_data(event, rows, base_url=root, version=version, entries=entries)
        )

    return export(
        request,
        event_marker_or_404(event_slug),
        build,
        name=f"schedule.{extension}",
        content_type=content_type,
        filename=f"{event_slug}-schedule.{extension}",
        params=(*FILTER_NAMES, "version"),
        shared=not request.GET.get("q", "").strip(),
    )


def schedule_xml(request, event):
    return frab_export(
        request, event, frab_xml.schedule_xml, content_type=XML_TYPE, extension="xml"
    )


def schedule_json(request, event):
    return frab_export(request, event, pieces.frab_json, content_type=JSON_TYPE, extension="json")
