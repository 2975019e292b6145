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


def screen(event: str, slug: str | None = None) -> tuple[Event, list[Room]]:
    """The event and the rooms its screen shows: the room `slug`, or for the hall every room
    with talks on the day shown, building by building."""
    if slug is not None:
        room = get_object_or_404(Room.objects.select_related("event"), event__slug=event, slug=slug)
        return room.event, [room]
    the_event = get_object_or_404(Event, slug=event)
    day = displays.day_of(the_event, clock.now())
    used = {talk["room"] for talk in displays.day_talks(the_event, day)}
    rooms = Room.objects.filter(event=the_event).order_by("building", "position", "name")
    return the_event, [room for room in rooms if room.pk in used]


@require_GET
def display_json(request, event, slug=None):
    return fresh(JsonResponse(displays.document(*screen(event, slug))))


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
    the_event, rooms = screen(event, slug)
    data = context(the_event, rooms, room=rooms[0])
    return fresh(render(request, "live/room_display.html", data))


@require_GET
def event_display(request, event):
    the_event, rooms = screen(event)
    data = context(the_event, rooms, page_seconds=settings.SCHEDULE_DISPLAY_PAGE_SECONDS)
    return fresh(render(request, "live/event_display.html", data))
