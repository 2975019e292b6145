"""Rooms open, full or to evacuate: set by volunteers, polled by everyone. A forgotten "full"
reopens when the room's talk ends (SCHEDULE_ROOM_FULL_RESET="talk-end"; "never" keeps it),
written on the next read and recorded in the history with no person."""

import datetime as dt

from django.conf import settings
from django.db import transaction

from schedule import caching, clock
from schedule.live.models import RoomState, RoomStatus, RoomStatusChange
from schedule.models import Event, Room
from talks.models import Talk

AUTOMATIC = "automatic: the talk ended"
SHARED_SECONDS = 2  # status.json is shared by every poller this long at most


def cache_key(event_slug: str) -> str:
    """Per minute of the clock too, so an automatic reset (at a talk's end, a whole
    minute) is never hidden behind a copy made the minute before."""
    return f"roomstatus:{event_slug}:{clock.now():%Y%m%d%H%M}"


def full_until(room: Room, now: dt.datetime) -> dt.datetime | None:
    """When a "full" state set now ends by itself: the end of the talk running in the room
    (or, between talks, of the next one starting within the hour); None for never."""
    if settings.SCHEDULE_ROOM_FULL_RESET != "talk-end":
        return None
    talks = Talk.objects.filter(room=room, end__gt=now).public()
    ends = talks.exclude(status=Talk.Status.CANCELLED).values_list("end", flat=True)
    if running := ends.filter(start__lte=now).order_by("end").first():
        return running
    upcoming = ends.filter(start__lte=now + dt.timedelta(hours=1)).order_by("start").first()
    fallback = now + dt.timedelta(minutes=settings.SCHEDULE_ROOM_FULL_FALLBACK_MINUTES)
    return upcoming or fallback


def locked_status(room: Room, now) -> RoomStatus:
    """The room's status row, created (open) if the room never had one, then locked: two
    volunteers' first taps at once take turns, the second seeing the first's state."""
    RoomStatus.objects.get_or_create(room=room, defaults={"changed": now})
    return RoomStatus.objects.select_for_update().get(room=room)


@transaction.atomic
def set_state(room: Room, state: str, user, note: str = "") -> RoomStatusChange:
    now = clock.now()
    status = locked_status(room, now)
    expired = status.resets_at is not None and now >= status.resets_at
    previous = RoomState.OPEN if expired else status.state
    status.state, status.changed, status.changed_by = state, now, user
    status.resets_at = full_until(room, now) if state == RoomState.FULL else None
    status.save()
    keys = [cache_key(room.event.slug)]  # the shared copy goes now and after the commit
    caching.cache_delete_many(keys)
    transaction.on_commit(lambda: caching.cache_delete_many(keys))
    return RoomStatusChange.objects.create(
        room=room, state=state, previous=previous, at=now, by=user, note=note
    )


UNDO_MINUTES = 10


class CannotUndo(Exception):
    """Said to the volunteer instead of undoing."""


@transaction.atomic
def undo(change: RoomStatusChange, user) -> RoomStatusChange:
    """Put the room back in the state it had before `change`, only while that change is
    still the room's latest (someone else's "Evacuate" since is never undone) and recent."""
    now = clock.now()
    locked_status(change.room, now)
    latest = RoomStatusChange.objects.filter(room=change.room).order_by("-at", "-pk").first()
    if latest is None or latest.pk != change.pk:
        raise CannotUndo(f"{change.room.name} was changed since; not undone.")
    if now - change.at > dt.timedelta(minutes=UNDO_MINUTES):
        raise CannotUndo(f"That change is over {UNDO_MINUTES} minutes old; set the state instead.")
    return set_state(change.room, change.previous, user, note=f"undo of change {change.pk}")


def event_states(event: Event) -> dict[int, RoomStatus]:
    """Room id -> current status, for the rooms that have one (others are open). The resets
    that are due are written first (once, however many requests see them)."""
    now = clock.now()
    statuses = {s.pk: s for s in RoomStatus.objects.filter(room__event=event)}
    for status in statuses.values():
        if status.resets_at is None or now < status.resets_at:
            continue
        at, previous = status.resets_at, status.state
        due = RoomStatus.objects.filter(pk=status.pk, resets_at=at, state=previous)
        with transaction.atomic():
            if due.update(state=RoomState.OPEN, resets_at=None, changed=at, changed_by=None):
                RoomStatusChange.objects.create(
                    room_id=status.pk,
                    state=RoomState.OPEN,
                    previous=previous,
                    at=at,
                    note=AUTOMATIC,
                )
        status.state, status.resets_at = RoomState.OPEN, None
    return statuses


def status_document(event: Event) -> list[dict]:
    """The FOSDEM companion apps' format (api.fosdem.org/roomstatus/v1/listrooms: "roomname",
    "state" "0"/"1"/"2"), plus our room id and slug and when the state last changed."""
    states = event_states(event)
    rooms = Room.objects.filter(event=event).order_by("position", "name")
    document = []
    for room in rooms.values("pk", "name", "slug"):
        status = states.get(room["pk"])
        document.append(
            {
                "roomname": room["name"],
                "state": status.state if status else RoomState.OPEN.value,
                "id": room["pk"],
                "slug": room["slug"],
                "changed": status.changed.isoformat() if status else None,
                "resets_at": status.resets_at.isoformat() if status and status.resets_at else None,
            }
        )
    return document
