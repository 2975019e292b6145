"""Reading many rows cheaply: datetimes read as text, id lists sent as one parameter."""

import datetime as dt
import functools
import json

from django.db import DatabaseError, connection
from django.db.models import CharField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast


def as_text(column) -> Cast:
    """A datetime column read as text, for utc_from_text(): the drivers' own parsing (a
    regex in Django's SQLite converter, psycopg's time zone loader) costs most of reading
    a thousand talks; Python's fromisoformat is one C call."""
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
    a plain list value by value, and again in every query that nests it, so
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
