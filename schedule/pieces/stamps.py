"""What a talk's pieces depend on, read for a whole list of talks in two queries (the
talks with their own part of the stamp, then their speakers' part, grouped)."""

import datetime as dt
import functools
import hashlib
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField, Func, Value
from django.db.models.functions import Cast, Coalesce

from talks.models.light import as_text, id_list, utc_from_text


class TalkRow(NamedTuple):
    """A talk as a whole-event page or export needs it before its pieces: where it goes,
    and the stamp its pieces must carry. (A tuple: a day of 450 rows is built per request.)"""

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
    database (no per-row datetime conversions in Python). Built once: a query resolves a
    copy of it."""
    return Joined(
        _text("updated"), _text("room__updated"), _text("devroom__updated"), _text("event__updated")
    )


def speakers_stamps(talk_ids: list[int]) -> dict[int, str]:
    """Talk id -> what its pieces show of its speakers: each billing row in order (position,
    person, the name and id the talk credits them under) and the person's change time
    (which moves with their name, ids and links), as a short digest. One query for all the
    talks; the ids go as one parameter (talks.models.light.id_list)."""
    from talks.models import TalkSpeaker

    if not talk_ids:
        return {}
    billing = (
        TalkSpeaker.objects.filter(talk_id__in=id_list(talk_ids))
        .order_by("talk_id", "position", "id")
        .values_list(
            "talk_id", "position", "speaker_id", "credited_as", "person_number",
            as_text("speaker__updated"),
        )
    )  # fmt: skip
    parts: dict[int, list[str]] = {}
    for talk_id, *row in billing:
        parts.setdefault(talk_id, []).append(repr(row))
    return {
        talk_id: hashlib.blake2b("\n".join(rows).encode(), digest_size=8).hexdigest()
        for talk_id, rows in parts.items()
    }


ROW_FIELDS = (
    "pk",
    "guid",
    "title",
    "slug",
    "start",
    "end",
    "status",
    "room_id",
    "event_id",
    "event__timezone",
)


def talk_rows(queryset) -> list[TalkRow]:
    """The talks of `queryset` (its order kept), each with its stamp: its own part from the
    talks' query (read in order from their covering index, talk_event_rows), its speakers'
    part from a second, grouped query.

    The query is Django's; its rows are read from the cursor and only the typed columns
    converted here (start, end, guid): Django's generic per-value converters cost as much
    as the query itself for a thousand talks, and every cold page and export lists its
    talks this way."""
    fields = list(ROW_FIELDS)
    fields[4:6] = [as_text("start"), as_text("end")]  # see talks.models.light
    query = (
        queryset.select_related(None)
        .prefetch_related(None)
        .values_list(*fields)
        .annotate(stamp=stamp_expression())
    )
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # e.g. pk__in=[]: Django would not run it either
        return []
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return []
    # Read after the talks' own part: a piece is built later still, so a change in between
    # leaves a stamp that no longer matches (rebuilt), never old data under a new stamp.
    people = speakers_stamps([row[0] for row in rows])
    width = len(TalkRow._fields) - 1
    return [
        TalkRow(
            pk,
            _hex(guid),
            title,
            slug,
            utc_from_text(start),
            utc_from_text(end),
            *rest,
            f"{own}|{people.get(pk, '-')}",
        )
        for pk, guid, title, slug, start, end, *rest, own in (row[: width + 1] for row in rows)
    ]


def _hex(value) -> str:
    """The guid's hex digits: SQLite stores them so, PostgreSQL's driver gives a UUID."""
    return value if isinstance(value, str) else value.hex
