"""Rooms from a spreadsheet's CSV: header `name` plus any OPTIONAL_COLUMNS. A row matches a
room by a filled `slug`, else by name, or creates one; an empty cell clears its field (except
position). All rows are checked first, so one bad line changes nothing.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from schedule import markers
from schedule.interchange.values import slug_for
from schedule.models import Event, Room
from talks.identity import unique_slug

OPTIONAL_COLUMNS = [
    "slug",
    "building",
    "floor",
    "capacity",
    "accessibility",
    "map_url",
    "stream_url",
    "position",
]
EDITABLE = ["name", *OPTIONAL_COLUMNS[1:]]


class RoomsCsvError(ValueError):
    """The file cannot be applied; the message lists every problem with line and column."""


@dataclass
class RoomsCsvResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged."
        )


def import_rooms_csv(event: Event, data: bytes | str, *, dry_run: bool = False):
    """Apply the CSV to `event`'s rooms; any bad line raises RoomsCsvError, saving nothing."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    rows = list(read_rows(text))
    planned, problems = plan(event, rows)
    if problems:
        raise RoomsCsvError("\n".join(problems))
    result = RoomsCsvResult()
    with transaction.atomic(), markers.batched():
        for room, is_new, changed in planned:
            bucket = result.created if is_new else result.updated if changed else None
            if bucket is None:
                result.unchanged.append(room.name)
                continue
            bucket.append(room.name)
            if not dry_run:
                room.save()
    return result


def read_rows(text: str):
    """(line number, {column: stripped cell}) per data row; the header is checked here."""
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    unknown = [c for c in header if c not in ("name", *OPTIONAL_COLUMNS)]
    if unknown or "name" not in header or len(set(header)) != len(header):
        raise RoomsCsvError(header_problem(header, unknown))
    line = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            if len(cells) > len(header):
                raise RoomsCsvError(
                    f"Line {line}: {len(cells)} cells, the header has {len(header)}."
                )
            yield line, {c: v.strip() for c, v in zip(header, cells, strict=False)}
        line = reader.line_num + 1


def header_problem(header: list[str], unknown: list[str]) -> str:
    known = ", ".join(["name", *OPTIONAL_COLUMNS])
    if unknown:
        return f"Line 1: unknown column “{unknown[0]}” (known columns: {known})."
    if "name" not in header:
        return f"Line 1: the header has no “name” column (known columns: {known})."
    return "Line 1: a column is named twice."


def plan(event: Event, rows):
    """[(room with new values set, is new, changed?)] and the problems found, in line order."""
    rooms = list(Room.objects.filter(event=event))
    by_slug = {room.slug: room for room in rooms}
    by_name = {room.name: room for room in rooms}
    slugs = set(by_slug)
    seen: dict[int, int] = {}  # id(room) -> first line
    planned, problems = [], []
    next_position = max((room.position for room in rooms), default=0) + 1
    for line, cells in rows:
        if not cells.get("name"):
            problems.append(f"Line {line}, column name: a room name is required.")
            continue
        room = by_slug.get(cells.get("slug") or "\0") or (
            None if cells.get("slug") else by_name.get(cells["name"])
        )
        is_new = room is None
        if is_new:
            slug = cells.get("slug") or unique_slug(slug_for(cells["name"], "room"), slugs)
            if slug in slugs:
                problems.append(f"Line {line}, column slug: “{slug}” is taken by another room.")
                continue
            slugs.add(slug)
            room = Room(event=event, slug=slug, position=next_position)
            next_position += 1
        if id(room) in seen:
            problems.append(
                f"Line {line}, column name: the room was already given on line {seen[id(room)]}."
            )
            continue
        seen[id(room)] = line
        changed = set_values(room, cells)
        problems.extend(check(room, line))
        planned.append((room, is_new, changed))
    return planned, problems


def set_values(room: Room, cells: dict) -> bool:
    """Put the cells on `room`; True when any value differs from what it had."""
    changed = False
    for column in EDITABLE:
        if column not in cells or (column == "position" and not cells[column]):
            continue
        value = cells[column]
        if column == "capacity" and value == "":
            value = None
        before = getattr(room, column)
        if str(before if before is not None else "") != (value or ""):
            setattr(room, column, value)
            changed = True
    return changed


def check(room: Room, line: int) -> list[str]:
    """The model's own validation (numbers, URLs, lengths), as "Line N, column C" messages."""
    try:
        # Converts the cells to their types too ("120" -> 120).
        room.full_clean(exclude=["event"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [
            f"Line {line}, column {column}: {' '.join(messages)}"
            for column, messages in error.message_dict.items()
        ]
    return []
