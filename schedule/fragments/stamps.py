"""What a talk's pieces depend on, read for a whole list of talks in one query."""

import datetime as dt
import functools
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField, Count, Func, Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce


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
    """The change times of the talk, its room, devroom and event, and of its speakers (with
    which speakers they are, how many, and their ids in any series), as one string made by
    the database (no per-row datetime conversions in Python). Any edit to one of those rows
    changes it. The speakers' part is a subquery per talk, not a GROUP BY over the whole
    list: the talks are then read in order from their covering index (talk_event_rows).
    Built once: a query resolves a copy of it."""
    from talks.models import TalkSpeaker

    speakers = (
        TalkSpeaker.objects.filter(talk=OuterRef("pk"))
        .order_by()
        .values("talk")
        .annotate(
            part=Joined(
                _text(Max("speaker__updated")),
                _text(Sum("speaker_id")),
                _text(Count("pk")),
                _text(Max("speaker__person_ids__id")),
            )
        )
        .values("part")
    )
    return Joined(
        _text("updated"),
        _text("room__updated"),
        _text("devroom__updated"),
        _text("event__updated"),
        Coalesce(Subquery(speakers, output_field=CharField()), Value("-")),
    )


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
    """The talks of `queryset` (its order kept), each with its stamp.

    The query is Django's; its rows are read from the cursor and only the typed columns
    converted here (start, end, guid): Django's generic per-value converters cost as much
    as the query itself for a thousand talks, and every cold page and export lists its
    talks this way."""
    fields = list(ROW_FIELDS)
    if connections[queryset.db].vendor == "sqlite":
        # Read as text: a datetime column goes through Django's regex parser in the
        # driver (a third of the query's time for 1,000 talks); _moment's fromisoformat
        # is C.
        fields[4:6] = [Cast("start", CharField()), Cast("end", CharField())]
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
    width = len(TalkRow._fields)
    return [
        TalkRow(pk, _hex(guid), title, slug, _moment(start), _moment(end), *rest)
        for pk, guid, title, slug, start, end, *rest in (row[:width] for row in rows)
    ]


def _moment(value) -> dt.datetime | None:
    """An aware UTC datetime from what the driver returns: aware already (PostgreSQL), or
    the naive UTC time SQLite stores (as a datetime, or as text)."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite's text, always UTC: one C call
        return dt.datetime.fromisoformat(value + "+00:00")
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _hex(value) -> str:
    """The guid's hex digits: SQLite stores them so, PostgreSQL's driver gives a UUID."""
    return value if isinstance(value, str) else value.hex
