"""Model instances for read-only bulk work, built from plain rows.

Django's Model.__init__ and its generic per-value converters cost about 40 µs for a
talk's two dozen columns: most of a from-scratch feed of 1,000 talks. Here the rows of
Django's own query are read from the cursor, the few typed columns converted directly
(datetimes read as text, SQLite's UUIDs as hex), and each row put straight into a new
instance's __dict__, which is what __init__ ends up with too. The instances are complete
for reading (methods, properties, foreign key ids); a column left out with `omit` loads
on access, as with defer(). No pre_init/post_init signals are sent: use this only for
models that have no receivers for them (the tests check the models it is used for).
"""

import datetime as dt
import functools
import json
import uuid

from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connection, connections
from django.db.models import CharField
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast


def light_instances(queryset, omit=()) -> list:
    """The queryset's objects, in its order, every concrete column but `omit` loaded."""
    model = queryset.model
    fields = [f for f in model._meta.concrete_fields if not {f.name, f.attname} & set(omit)]
    names = [field.attname for field in fields]
    connection = connections[queryset.db]
    columns = [_column(field, connection) for field in fields]
    compiler = queryset.values_list(*columns).query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # e.g. pk__in=[]: Django would not run it either
        return []
    django_converters = compiler.get_converters(
        [column for column, _sql, _alias in compiler.select]
    )
    converters = {}
    for index, field in enumerate(fields):
        if fast := _fast(field, connection):
            converters[index] = fast
        elif index in django_converters:
            converters[index] = _django(*django_converters[index], connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    new, objects, db = model.__new__, [], queryset.db
    for row in rows:
        values = list(row[: len(names)])
        for index, convert in converters.items():
            values[index] = convert(values[index])
        instance = new(model)
        state = instance._state = ModelState()
        state.adding, state.db = False, db
        instance.__dict__.update(zip(names, values, strict=True))
        objects.append(instance)
    return objects


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


def _column(field, connection):
    if field.get_internal_type() == "DateTimeField":
        return as_text(field.attname)
    return field.attname


def _fast(field, connection):
    """A direct converter for the typed columns read as text."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return utc_from_text
    if kind == "UUIDField" and connection.vendor == "sqlite":
        return _uuid
    return None


def _django(chain, expression, connection):
    def convert(value):
        for converter in chain:
            value = converter(value, expression, connection)
        return value

    return convert


def _uuid(value):
    return value if value is None or isinstance(value, uuid.UUID) else uuid.UUID(value)


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
