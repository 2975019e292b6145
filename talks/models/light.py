"""Reading many rows cheaply: datetimes read as text, id lists sent as one parameter, and
the SQL of fixed-shape queries compiled once per process."""

import datetime as dt
import functools
import json

from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connection, connections
from django.db.models import CharField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast


def as_text(column) -> Cast:
    """A datetime column read as text, for utc_from_text(): the drivers' own parsing (a
    regex in Django's SQLite converter, psycopg's time zone loader) costs 5 µs a value,
    most of reading a thousand talks; Python's fromisoformat is one C call."""
    return Cast(column, CharField())


def utc_from_text(value: str | None) -> dt.datetime | None:
    """The aware UTC datetime of a column read with as_text(): SQLite's naive UTC text, or
    PostgreSQL's with its offset (the session's zone is UTC: Django sets it)."""
    if value is None:
        return None
    if value[-3] not in "+-" and value[-6] not in "+-":
        value += "+00:00"
    return dt.datetime.fromisoformat(value)


def id_list(ids) -> RawSQL:
    """A list of ids for `pk__in=`, sent to the database as one parameter: Django prepares
    a plain list value by value (~3 µs an id), and again in every query that nests it, so
    a list of 470 talks cost more than the query it chose them for."""
    ids = [int(pk) for pk in ids]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    if connection.vendor == "sqlite" and _sqlite_has_json():
        return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))
    return ids  # another backend, or an SQLite built without JSON: Django's own list


@functools.cache
def _sqlite_has_json() -> bool:
    """json_each() is built into SQLite since 3.38 (2022) and into most builds before."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM json_each('[1]')")
            return cursor.fetchall() == [(1,)]
    except DatabaseError:
        return False


def compiled_rows(build):
    """Decorate `build(*args) -> queryset` (a values_list() of plain columns) so that
    calling it returns the rows, with the queryset's SQL compiled once per process for
    the same arguments and database.

    For queries whose text depends only on their arguments (an event id, its day bounds),
    never on data: compiling one costs Django 0.2–1.6 ms, often more than running it.
    The rows come from the cursor as they are (ints and strings; read datetimes with
    as_text()), without Django's converters."""

    @functools.lru_cache(maxsize=256)
    def sql_of(database: str, vendor: str, *args) -> tuple[str, tuple]:
        sql, params = build(*args).using(database).query.sql_with_params()
        return sql, tuple(params)

    @functools.wraps(build)
    def rows(*args, database: str = "default") -> list[tuple]:
        connection = connections[database]
        try:
            sql, params = sql_of(database, connection.vendor, *args)
        except EmptyResultSet:
            return []
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    rows.sql_of = sql_of
    return rows
