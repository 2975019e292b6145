"""Full-screen displays for room doors and the entrance hall, no login: drawn once, then
kept current by static/js/display.js from the JSON next to it. Rules: docs/live-day.md#displays"""

import datetime as dt

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from schedule import caching, clock
from schedule.live import room_status
from schedule.live.models import RoomState
from schedule.models import Event, Room
from talks.models import Talk

DAY_SECONDS = 3600


def day_of(event: Event, now: dt.datetime) -> dt.date:
    """The event day shown: today while the event is on, else its nearest day."""
    today = now.astimezone(event.tzinfo).date()
    return min(max(today, event.start_date), event.end_date)


def talk_data(talk: Talk) -> dict:
    return {
        "title": talk.title,
        "speakers": ", ".join(s.name for s in talk.ordered_speakers),
        "start": talk.start.isoformat(),
        "end": talk.end.isoformat(),
        "cancelled": talk.is_cancelled,
        "url": talk.get_absolute_url(),
        "room": talk.room_id,
    }


def day_talks(event: Event, day: dt.date) -> list[dict]:
    """The day's scheduled public talks in start order, cached per change marker."""
    marker = caching.event_marker(event.slug)
    key = f"display:{marker.scope}:{int(marker.changed.timestamp())}:{day.isoformat()}"
    if (cached := caching.cache_get(key)) is not None:
        return cached
    start, end = event.day_bounds(day)
    talks = (
        Talk.objects.filter(event=event, start__lt=end, end__gt=start, room__isnull=False)
        .for_schedule()
        .order_by("start", "room__position")
    )
    data = [talk_data(t) for t in talks]
    caching.cache_set(key, data, DAY_SECONDS)
    return data


def room_data(room: Room, states: dict) -> dict:
    status = states.get(room.pk)
    state = status.state if status else RoomState.OPEN
    return {
        "id": room.pk,
        "name": room.name,
        "slug": room.slug,
        "building": room.building,
        "state": state,
        "state_label": RoomState(state).label,
        # A screen without network still opens a "full" room when its talk ends.
        "resets_at": status.resets_at.isoformat() if status and status.resets_at else None,
    }


def document(event: Event, rooms: list[Room]) -> dict:
    """For each room: its state and its talks of the day that have not ended."""
    now = clock.now()
    day = day_of(event, now)
    wanted = {room.pk for room in rooms}
    talks = [t for t in day_talks(event, day) if t["room"] in wanted]
    states = room_status.event_states(event)
    return {
        "now": now.astimezone(dt.UTC).isoformat(),
        "timezone": event.timezone,
        "day": day.isoformat(),
        "rooms": [room_data(room, states) for room in rooms],
        "talks": [t for t in talks if dt.datetime.fromisoformat(t["end"]) > now],
    }


def now_and_next(data: dict, room_id: int, now: dt.datetime) -> tuple[dict | None, dict | None]:
    """The screens' own choice (display.js), for the first render; start_at/end_at added."""
    current = upcoming = None
    for talk in data["talks"]:
        if talk["room"] != room_id:
            continue
        start = dt.datetime.fromisoformat(talk["start"])
        end = dt.datetime.fromisoformat(talk["end"])
        if start <= now < end and not talk["cancelled"] and current is None:
            current = talk | {"start_at": start, "end_at": end}
        elif start > now and upcoming is None:
            upcoming = talk | {"start_at": start, "end_at": end}
    return current, upcoming


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
    day = day_of(the_event, clock.now())
    used = {talk["room"] for talk in day_talks(the_event, day)}
    rooms = Room.objects.filter(event=the_event).order_by("building", "position", "name")
    return the_event, [room for room in rooms if room.pk in used]


@require_GET
def display_json(request, event, slug=None):
    return fresh(JsonResponse(document(*screen(event, slug))))


def context(event: Event, rooms: list[Room], **extra) -> dict:
    data = document(event, rooms)
    now = dt.datetime.fromisoformat(data["now"])
    for room, info in zip(rooms, data["rooms"], strict=True):
        room.info = info
        room.current, room.upcoming = now_and_next(data, room.pk, now)
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
