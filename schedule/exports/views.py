"""Calendar feeds and frab exports: the view picks the talks, ical.py/frab.py shape them."""

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string

from schedule import clock, markers
from schedule.exports import frab, ical
from schedule.models import Devroom, Event, Room
from schedule.responses import base_url, conditional_export, json_bytes
from talks.filters import TalkFilter, event_talks, filtered_talks, starred_slugs
from talks.models import Speaker, SpeakerRedirect, Talk

ICS_TYPE = "text/calendar; charset=utf-8"


def ical_export(request, talks, *, marker, name: str, events, filename: str, kind: str):
    """A calendar file for `talks` (a queryset), answering 304 while `marker` stays."""
    talks = talks.scheduled()

    def build():
        return ical.calendar_for(
            talks,
            name=name,
            events=events,
            base_url=base_url(request),
            now=clock.now(),
            kind=kind,
        ).to_ical()

    return conditional_export(request, marker, build, content_type=ICS_TYPE, filename=filename)


def bad_filters(talk_filter: TalkFilter) -> HttpResponse:
    message = "\n".join(["Invalid filter values:", *talk_filter.error_messages()])
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def schedule_ics(request, event):
    event = get_object_or_404(Event, slug=event)
    talk_filter = filtered_talks(request, event)
    if talk_filter.is_bound and not talk_filter.is_valid():
        return bad_filters(talk_filter)
    suffix = "" if not request.GET else " (filtered)"
    return ical_export(
        request,
        talk_filter.qs,
        marker=event.changed,
        name=f"{event.name}{suffix}",
        events=[event],
        filename=f"{event.slug}.ics",
        kind="Schedule",
    )


def devroom_ics(request, event, slug):
    devroom = get_object_or_404(
        Devroom.objects.select_related("event"), event__slug=event, slug=slug
    )
    talks = event_talks(devroom.event).filter(devroom=devroom)
    return ical_export(
        request,
        talks,
        marker=devroom.event.changed,
        name=f"{devroom.event.name} — {devroom.name}",
        events=[devroom.event],
        filename=f"{event}-{slug}.ics",
        kind="Devroom",
    )


def room_ics(request, event, slug):
    room = get_object_or_404(Room.objects.select_related("event"), event__slug=event, slug=slug)
    talks = event_talks(room.event).filter(room=room)
    return ical_export(
        request,
        talks,
        marker=room.event.changed,
        name=f"{room.event.name} — {room.name}",
        events=[room.event],
        filename=f"{event}-{slug}.ics",
        kind="Room",
    )


def starred_ics(request, event):
    event = get_object_or_404(Event, slug=event)
    slugs = starred_slugs(request)
    talks = event_talks(event).filter(slug__in=slugs)
    response = ical_export(
        request,
        talks,
        marker=event.changed,
        name=f"{event.name} — starred talks",
        events=[event],
        filename=f"{event.slug}-starred.ics",
        kind="Starred",
    )
    found = set(talks.values_list("slug", flat=True))
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        response["X-Unknown-Talks"] = ",".join(unknown)[:2000]
    return response


def talk_ics(request, event, slug):
    event = get_object_or_404(Event, slug=event)
    talks = Talk.objects.filter(event=event, slug=slug).for_schedule()
    talk = get_object_or_404(talks)
    return ical_export(
        request,
        talks,
        marker=event.changed,
        name=f"{event.name} — {talk.title}",
        events=[event],
        filename=f"{slug}.ics",
        kind="Talk",
    )


def speaker_ics(request, slug):
    speaker = Speaker.objects.filter(slug=slug).first()
    if speaker is None:
        moved = SpeakerRedirect.objects.select_related("speaker").filter(old_slug=slug).first()
        if moved is None:
            raise Http404("No such speaker.")
        return redirect("exports:speaker_ics", moved.speaker.slug, permanent=True)
    talks = Talk.objects.filter(speakers=speaker).for_schedule()
    events = Event.objects.filter(talks__speakers=speaker).distinct()
    return ical_export(
        request,
        talks,
        marker=markers.site_changed(),
        name=f"{speaker.name} — talks",
        events=events,
        filename=f"{slug}.ics",
        kind="Speaker",
    )


def frab_export(request, event_slug: str, render_data, *, content_type: str, extension: str):
    event = get_object_or_404(Event, slug=event_slug)
    talk_filter = filtered_talks(request, event)
    if talk_filter.is_bound and not talk_filter.is_valid():
        return bad_filters(talk_filter)
    talks = talk_filter.qs.scheduled().with_links().with_person_ids()

    def build():
        talk_list = list(talks)
        latest = max((t.updated for t in talk_list), default=None)
        data = frab.schedule_data(
            event,
            talk_list,
            rooms=list(event.rooms.all()),
            devrooms=list(event.devrooms.all()),
            base_url=base_url(request),
            version=latest.strftime("%Y-%m-%d %H:%M:%S") if latest else "empty",
        )
        return render_data(data)

    return conditional_export(
        request,
        event.changed,
        build,
        content_type=content_type,
        filename=f"{event.slug}-schedule.{extension}",
    )


def schedule_xml(request, event):
    return frab_export(
        request,
        event,
        lambda data: render_to_string("schedule/frab.xml", {"data": data}).encode(),
        content_type="application/xml; charset=utf-8",
        extension="xml",
    )


def schedule_json(request, event):
    return frab_export(
        request, event, json_bytes, content_type="application/json; charset=utf-8", extension="json"
    )
