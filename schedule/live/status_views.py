"""Room status: the JSON every page and app polls, a small fragment for pages without
JavaScript, and the volunteers' page with one big button per room and state."""

import hashlib
import json

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.validators import slug_re
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from schedule import caching, clock
from schedule.live import room_status
from schedule.live.models import RoomState, RoomStatusChange
from schedule.methods import writes
from schedule.models import Event, Room

STATUS_SECONDS = 5  # how long browsers and proxies may reuse status.json


def status_body(slug: str) -> tuple[bytes, str]:
    """The document and its ETag, shared by all workers for up to two seconds (thousands of
    pages poll it); a volunteer's change drops the copy at once."""
    key = room_status.cache_key(slug)
    entry = caching.cache_get(key)
    if entry is None:
        the_event = get_object_or_404(Event, slug=slug)
        body = json.dumps(room_status.status_document(the_event), separators=(",", ":")).encode()
        entry = (body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
        caching.cache_set(key, entry, room_status.SHARED_SECONDS)
    return entry


@require_GET
def status_json(request, event):
    """The companion apps' room status list (CORS, ETag). Never in the page cache: a
    volunteer's tap shows within one poll."""
    body, etag = status_body(event)
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        body, content_type="application/json"
    )
    response["ETag"] = etag
    # The server's clock (also when rehearsing: schedule.clock), for "is this talk on now".
    response["X-Schedule-Now"] = clock.now().isoformat()
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Date, X-Schedule-Now"
    patch_cache_control(response, public=True, max_age=STATUS_SECONDS, s_maxage=STATUS_SECONDS)
    return response


@csp_replace({"frame-ancestors": ["'self'"]})
@xframe_options_sameorigin
@require_GET
@cache_control(no_store=True)
def fragment(request, event, slug):
    """The room's state as a tiny page, for pages read without JavaScript (an <iframe>
    inside <noscript>): read on every reload, never cached."""
    room = get_object_or_404(Room.objects.select_related("event"), event__slug=event, slug=slug)
    status = room_status.event_states(room.event).get(room.pk)
    state = status.state if status else RoomState.OPEN
    context = {"room": room, "state": state, "label": RoomState(state).label}
    return render(request, "live/room_status_fragment.html", context)


NO_BUILDING = "-"  # the choice for rooms without a building


def building_choices(event: Event) -> list[tuple[str, str]]:
    """(value, label) per building, and "Other rooms" for rooms without one."""
    names = set(Room.objects.filter(event=event).values_list("building", flat=True))
    choices = [(name, f"Building {name}") for name in sorted(names - {""})]
    if "" in names and choices:
        choices.append((NO_BUILDING, "Other rooms"))
    return choices


def changes_by(user, event: Event):
    """The volunteer's own changes to the event's rooms, latest first."""
    return RoomStatusChange.objects.filter(by=user, room__event=event).select_related("room")


@login_required
@permission_required("schedule.set_room_status", raise_exception=True)
@writes
@require_http_methods(["GET", "HEAD", "POST"])
def volunteer(request, event):
    """One big button per room and state, for the rooms of one building; an undo for the
    volunteer's last change. Room volunteers need no admin access."""
    the_event = get_object_or_404(Event, slug=event)
    # Without control characters: PostgreSQL refuses NUL in text.
    building = "".join(c for c in request.GET.get("building", "") if c.isprintable())[:50]
    if request.method == "POST":
        return volunteer_post(request, the_event, building)
    buildings = building_choices(the_event)
    rooms = Room.objects.filter(event=the_event).order_by("position", "name")
    if building:
        rooms = rooms.filter(building="" if building == NO_BUILDING else building)
    rooms = list(rooms) if building or not buildings else []
    states = room_status.event_states(the_event)
    for room in rooms:
        status = states.get(room.pk)
        room.state = status.state if status else RoomState.OPEN
        room.resets_at = status.resets_at if status else None
    context = {
        "event": the_event,
        "buildings": buildings,
        "building": building,
        "rooms": rooms,
        "states": RoomState.choices,
        "last": changes_by(request.user, the_event).first(),
        "poll_seconds": settings.SCHEDULE_ROOM_STATUS_POLL_SECONDS,
    }
    response = render(request, "live/volunteer.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


def volunteer_post(request, event: Event, building: str):
    query = f"?building={building}" if building else ""
    here = reverse("live:volunteer", args=[event.slug]) + query
    if "undo" in request.POST:
        wanted = request.POST.get("undo", "").strip()
        mine = changes_by(request.user, event)
        change = mine.filter(pk=wanted).first() if wanted.isdigit() else None
        if change is None:
            messages.error(request, "Nothing to undo.")
            return redirect(here)
        try:
            room_status.undo(change, request.user)
        except room_status.CannotUndo as refusal:
            messages.error(request, str(refusal))
        else:
            was = change.get_previous_display().lower()
            messages.success(request, f"Undone: {change.room.name} is {was} again.")
        return redirect(here)
    slug = request.POST.get("room", "")
    room = Room.objects.filter(event=event, slug=slug).first() if slug_re.fullmatch(slug) else None
    state = request.POST.get("state", "")
    if room is None or state not in RoomState.values:
        messages.error(request, "Choose a room and a state.")
        return redirect(here)
    if state == RoomState.EVACUATE and request.POST.get("confirm") != "yes":
        # Every screen and app tells the room to leave: one mis-tap must not do that.
        return render(
            request, "live/volunteer_confirm.html", {"event": event, "room": room, "back": here}
        )
    change = room_status.set_state(room, state, request.user)
    messages.success(request, f"{room.name} is now marked {change.get_state_display().lower()}.")
    return redirect(here)
