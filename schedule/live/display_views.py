"""Full-screen displays for room doors and the entrance hall, no login: drawn once, then
kept current by static/js/display.js from the JSON next to it."""

import datetime as dt

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from schedule import clock
from schedule.live import displays
from schedule.models import Event, Room


def fresh(response):
    """Screens poll: every response is revalidated, none stored by proxies."""
    patch_cache_control(response, no_cache=True, max_age=0)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def the_room(event: str, slug: str) -> Room:
    return get_object_or_404(Room.objects.select_related("event"), event__slug=event, slug=slug)


def event_rooms(event: Event) -> list[Room]:
    """The rooms with talks on the day shown, building by building."""
    day = displays.day_of(event, clock.now())
    used = {talk["room"] for talk in displays.day_talks(event, day)}
    rooms = Room.objects.filter(event=event).order_by("building", "position", "name")
    return [room for room in rooms if room.pk in used]


@require_GET
def room_json(request, event, slug):
    room = the_room(event, slug)
    return fresh(JsonResponse(displays.document(room.event, [room])))


@require_GET
def event_json(request, event):
    the_event = get_object_or_404(Event, slug=event)
    return fresh(JsonResponse(displays.document(the_event, event_rooms(the_event))))


def context(event: Event, rooms: list[Room], **extra) -> dict:
    data = displays.document(event, rooms)
    now = dt.datetime.fromisoformat(data["now"])
    for room, info in zip(rooms, data["rooms"], strict=True):
        room.info = info
        room.current, room.upcoming = displays.now_and_next(data, room.pk, now)
    return {
        "event": event,
        "data": data,
        "rooms": rooms,
        "now": now.astimezone(event.tzinfo),
        "refresh_seconds": settings.SCHEDULE_DISPLAY_REFRESH_SECONDS,
        **extra,
    }


@require_GET
def room_display(request, event, slug):
    room = the_room(event, slug)
    return fresh(render(request, "live/room_display.html", context(room.event, [room], room=room)))


@require_GET
def event_display(request, event):
    the_event = get_object_or_404(Event, slug=event)
    page_seconds = settings.SCHEDULE_DISPLAY_PAGE_SECONDS
    data = context(the_event, event_rooms(the_event), page_seconds=page_seconds)
    return fresh(render(request, "live/event_display.html", data))
