"""An event's rooms and devrooms as plain rows, cheaper than model instances."""

from schedule.models import Devroom, Room


def room_rows(event_id: int) -> list[tuple]:
    """(pk, slug, name, building, floor, capacity) in display order."""
    return list(
        Room.objects.filter(event_id=event_id)
        .order_by("position", "name")
        .values_list("pk", "slug", "name", "building", "floor", "capacity")
    )


def devroom_rows(event_id: int) -> list[tuple]:
    """(pk, slug, name, colour) by name."""
    return list(
        Devroom.objects.filter(event_id=event_id)
        .order_by("name")
        .values_list("pk", "slug", "name", "colour")
    )


def default_room_names(event_id: int) -> list[tuple]:
    """(devroom id, room name) of each devroom's default rooms, rooms in display order."""
    return list(
        Devroom.default_rooms.through.objects.filter(devroom__event_id=event_id)
        .order_by("room__position", "room__name")
        .values_list("devroom_id", "room__name")
    )
