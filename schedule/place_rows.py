"""An event's rooms and devrooms as plain rows, cheaper than model instances."""

from schedule.models import Devroom, Room
from talks.models import Talk


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


def devrooms_as_listed(event_id: int, with_public_talks: bool = True) -> list[tuple]:
    """(pk, slug, name, colour) as pages list devrooms: those with public talks, by name
    regardless of case ("Bioinformatics" before "BSD")."""
    rows = devroom_rows(event_id)
    if with_public_talks:
        used = set(
            Talk.objects.filter(event_id=event_id, is_draft=False)
            .order_by()
            .values_list("devroom_id", flat=True)
            .distinct()
        )
        rows = [row for row in rows if row[0] in used]
    return sorted(rows, key=lambda row: (row[2].casefold(), row[2]))


def default_room_names(event_id: int) -> list[tuple]:
    """(devroom id, room name) of each devroom's default rooms, rooms in display order."""
    return list(
        Devroom.default_rooms.through.objects.filter(devroom__event_id=event_id)
        .order_by("room__position", "room__name")
        .values_list("devroom_id", "room__name")
    )
