"""Rooms from a spreadsheet's CSV: header `name` plus any OPTIONAL_COLUMNS. A row matches a
room by a filled `slug`, else by name, or creates one; an empty cell clears its field (except
position). All rows are checked first, so one bad line changes nothing."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from schedule import markers
from schedule.interchange.values import slug_for
from schedule.models import Event, Room
from talks.identity import unique_slug

OPTIONAL_COLUMNS = "slug building floor capacity accessibility map_url stream_url position".split()


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


def import_rooms_csv(event: Event, data: bytes, *, dry_run: bool = False):
    """Apply the CSV to `event`'s rooms; any bad line raises RoomsCsvError, saving nothing."""
    planned, problems = plan(event, read_rows(data.decode("utf-8-sig")))
    if problems:
        raise RoomsCsvError("\n".join(problems))
    result = RoomsCsvResult()
    with transaction.atomic(), markers.batched():
        for room, outcome in planned:
            getattr(result, outcome).append(room.name)
            if outcome != "unchanged" and not dry_run:
                room.save()
    return result


def read_rows(text: str):
    """(line number, {column: stripped cell}) per data row; the header is checked here."""
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    known = ["name", *OPTIONAL_COLUMNS]
    unknown = [c for c in header if c not in known]
    listed = f"(known columns: {', '.join(known)})"
    if unknown:
        raise RoomsCsvError(f"Line 1: unknown column “{unknown[0]}” {listed}.")
    if "name" not in header:
        raise RoomsCsvError(f"Line 1: the header has no “name” column {listed}.")
    if len(set(header)) != len(header):
        raise RoomsCsvError("Line 1: a column is named twice.")
    line = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            if len(cells) > len(header):
                raise RoomsCsvError(
                    f"Line {line}: {len(cells)} cells, the header has {len(header)}."
                )
            yield line, {c: v.strip() for c, v in zip(header, cells, strict=False)}
        line = reader.line_num + 1


def plan(event: Event, rows):
    """[(room with new values set, "created", "updated" or "unchanged")] and the problems."""
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
        slug = cells.get("slug")
        room = by_slug.get(slug) if slug else by_name.get(cells["name"])
        is_new = room is None
        if is_new:
            slug = slug or unique_slug(slug_for(cells["name"], "room"), slugs)
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
        try:  # the model's own checks (numbers, URLs, lengths), converting the cells too
            room.full_clean(exclude=["event"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems += [
                f"Line {line}, column {column}: {' '.join(messages)}"
                for column, messages in error.message_dict.items()
            ]
        planned.append((room, "created" if is_new else "updated" if changed else "unchanged"))
    return planned, problems


def set_values(room: Room, cells: dict) -> bool:
    """Put the cells on `room`; True when any value differs from what it had."""
    changed = False
    for column, value in cells.items():
        if column == "slug" or (column == "position" and not value):
            continue
        if column == "capacity" and value == "":
            value = None
        before = getattr(room, column)
        if str(before if before is not None else "") != (value or ""):
            setattr(room, column, value)
            changed = True
    return changed
