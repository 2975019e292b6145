"""What a talk's pieces depend on, read for a whole list of talks in two queries (the
talks with their own part of the stamp, then their speakers' part, grouped)."""

import datetime as dt
import functools
import hashlib
from typing import NamedTuple

from django.db.models import CharField, Func, Value
from django.db.models.functions import Cast, Coalesce


class TalkRow(NamedTuple):
    """A talk as a whole-event page or export needs it before its pieces: where it goes,
    and the stamp its pieces must carry. A tuple: whole days of these are built per request."""

    pk: int
    guid: str  # the 32 hex digits (uuid.UUID.hex): compared, never shown
    title: str
    slug: str
    start: dt.datetime | None
    end: dt.datetime | None
    status: str
    room_id: int | None
    event_id: int
    timezone: str
    stamp: str

    @property
    def is_scheduled(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"


def _text(expression):
    return Coalesce(Cast(expression, CharField()), Value("-"), output_field=CharField())


class Joined(Func):
    """Texts joined with "|" by the database's `||` (SQLite and PostgreSQL): one flat
    expression, where Concat nests a pair per part (costlier to compile than to run)."""

    template = "(%(expressions)s)"
    arg_joiner = " || '|' || "
    output_field = CharField()


@functools.cache
def stamp_expression():
    """The change times of the talk, its room, devroom and event as one string made by the
    database (no datetime made per row). Built once: a query resolves a copy of it."""
    return Joined(
        _text("updated"), _text("room__updated"), _text("devroom__updated"), _text("event__updated")
    )


def speakers_stamps(talks) -> dict[int, str]:
    """Talk id -> a short digest of what its pieces show of its speakers: each billing row
    in order (position, person, credited name and id) and the person's change time (which
    moves with their name, ids and links). `talks`: a queryset of the talks, nested as a
    subquery (a list of a thousand ids would be sent value by value)."""
    from talks.models import TalkSpeaker

    billing = (
        TalkSpeaker.objects.filter(talk_id__in=talks)
        .order_by("talk_id", "position", "id")
        .values_list(
            "talk_id", "position", "speaker_id", "credited_as", "person_number",
            _text("speaker__updated"),  # compared as text: no datetime made per row
        )
    )  # fmt: skip
    parts: dict[int, list[str]] = {}
    for talk_id, *row in billing:
        parts.setdefault(talk_id, []).append(repr(row))
    return {
        talk_id: hashlib.blake2b("\n".join(rows).encode(), digest_size=8).hexdigest()
        for talk_id, rows in parts.items()
    }


def talk_rows(queryset) -> list[TalkRow]:
    """The talks of `queryset` (its order kept), each with its stamp: its own part from the
    talks' query, its speakers' part from a second, grouped query."""
    rows = list(
        queryset.select_related(None)
        .prefetch_related(None)
        .values_list(*TalkRow._fields[:-2], "event__timezone")  # as TalkRow names them
        .annotate(stamp=stamp_expression())
    )
    # Read after the talks' own part: a piece is built later still, so a change in between
    # leaves a stamp that no longer matches (rebuilt), never old data under a new stamp.
    people = speakers_stamps(queryset.order_by().values("pk")) if rows else {}
    return [
        TalkRow(pk, _hex(guid), *rest, f"{own}|{people.get(pk, '-')}")
        for pk, guid, *rest, own in rows
    ]


def _hex(value) -> str:
    """The guid's hex digits: SQLite stores them so, PostgreSQL's driver gives a UUID."""
    return value if isinstance(value, str) else value.hex
