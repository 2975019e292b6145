"""An event's rooms and devrooms as plain rows, for pages and exports that list them all
(the event home, the filter's boxes, schedule.xml/.json). Compiled once per process
(talks.models.light.compiled_rows): a hundred model instances, or compiling the query
each time, cost more than reading the rows."""

from schedule.models import Devroom, Room
from talks.models.light import compiled_rows


@compiled_rows
def room_rows(event_id: int):
    """(pk, slug, name, building, floor, capacity) in display order."""
    return (
        Room.objects.filter(event_id=event_id)
        .order_by("position", "name")
        .values_list("pk", "slug", "name", "building", "floor", "capacity")
    )


@compiled_rows
def devroom_rows(event_id: int):
    """(pk, slug, name, colour) by name."""
    return (
        Devroom.objects.filter(event_id=event_id)
        .order_by("name")
        .values_list("pk", "slug", "name", "colour")
    )


@compiled_rows
def default_room_names(event_id: int):
    """(devroom id, room name) of each devroom's default rooms, rooms in display order."""
    return (
        Devroom.default_rooms.through.objects.filter(devroom__event_id=event_id)
        .order_by("room__position", "room__name")
        .values_list("devroom_id", "room__name")
    )
