"""Reading and writing the pieces: the ones still current are used, the others rebuilt
(by the caller's `build`) and stored for the next request."""

import functools
import hashlib
from collections.abc import Callable, Iterable
from importlib import metadata

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import BinaryField, Func

from schedule.fragments.models import TalkFragment
from schedule.fragments.stamps import TalkRow


def variant_of(*parts: str) -> str:
    """What else pieces depend on (the site URL in links, the series of person ids), and
    the version of the code that renders them."""
    joined = "|".join([*parts, code_version()])
    return joined if len(joined) <= 300 else hashlib.sha256(joined.encode()).hexdigest()


# The libraries whose output is in a piece: Markdown and nh3 (abstracts), Jinja2 and
# Django (templates, escaping, formats), icalendar (VEVENTs), orjson (JSON entries).
SHAPING_LIBRARIES = ("django", "jinja2", "markdown", "nh3", "icalendar", "orjson", "markupsafe")


@functools.cache
def code_version() -> str:
    """A digest of what could shape a piece: the apps' Python files, the templates and the
    versions of the libraries above. After a deploy or an upgrade that changes how a row,
    a card or a VEVENT is written, pieces stored by the previous version are not used (they
    are rebuilt as talks are shown, like after an import)."""
    root = settings.BASE_DIR
    files = sorted(
        [*root.glob("schedule/**/*.py"), *root.glob("talks/**/*.py")]
        + [*root.glob("templates/**/*.html"), *root.glob("templates/**/*.jinja")]
    )
    digest = hashlib.sha256()
    for path in files:
        if "migrations" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    for library in SHAPING_LIBRARIES:
        digest.update(f"{library}={metadata.version(library)};".encode())
    return digest.hexdigest()[:12]


class Utf8(Func):
    """A text column's UTF-8 bytes, as SQLite stores them (no decoding and encoding again).
    PostgreSQL sends the text itself: its bytea would travel hex-encoded, twice the size
    (14 ms against 10 for a FOSDEM's pieces, encoding included)."""

    output_field = BinaryField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS BLOB)")

    def as_postgresql(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])  # text: see utf8()


def pieces(
    rows: list[TalkRow],
    kind: str,
    variant: str,
    build: Callable[[Iterable[int]], dict[int, str]],
    *,
    as_bytes: bool = False,
) -> dict[int, str] | dict[int, bytes]:
    """Talk id -> text for every row: stored pieces whose stamp is current, the rest built
    with `build(talk_ids)` and stored (a failed write is not an error: it is only a cache).

    `as_bytes`: the texts as UTF-8, for a whole file joined as bytes (a 2 MB feed's pieces
    are then neither decoded from the database nor encoded again)."""
    stamps = {row.pk: row.stamp for row in rows}
    text = Utf8("text") if as_bytes else "text"
    found = {}
    for talk_id, stamp, piece in stored(rows, kind, variant).values_list("talk_id", "stamp", text):
        if stamps.get(talk_id) == stamp:
            found[talk_id] = utf8(piece) if as_bytes else piece
    missing = [pk for pk in stamps if pk not in found]
    if missing:
        built = build(missing)
        store(built, stamps, kind, variant)
        found.update({pk: t.encode() for pk, t in built.items()} if as_bytes else built)
    return found


def utf8(piece) -> bytes:
    return piece.encode() if isinstance(piece, str) else bytes(piece)


def stored(rows: list[TalkRow], kind: str, variant: str):
    """The stored pieces that may belong to `rows`: by talk id for a few talks; for many
    talks of one event (a whole-event feed), by event, which spares the database a list
    of a thousand ids to parse (pieces of other talks are then simply not used)."""
    pieces = TalkFragment.objects.filter(kind=kind, variant=variant)
    events = {row.event_id for row in rows}
    if len(rows) > 100 and len(events) == 1:
        return pieces.filter(talk__event_id=events.pop())
    return pieces.filter(talk_id__in=[row.pk for row in rows])


def store(built: dict[int, str], stamps: dict[int, str], kind: str, variant: str) -> None:
    """Insert or replace the pieces, in one statement run for all rows (SQLite and
    PostgreSQL share the ON CONFLICT syntax). bulk_create built a model instance per row
    and batched 200 rows per statement: a third of a from-scratch build of 1,000 talks."""
    table = connection.ops.quote_name(TalkFragment._meta.db_table)
    sql = (
        f"INSERT INTO {table} (talk_id, kind, variant, stamp, text) VALUES (%s, %s, %s, %s, %s) "
        "ON CONFLICT (talk_id, kind, variant) "
        "DO UPDATE SET stamp = excluded.stamp, text = excluded.text"
    )
    rows = [(pk, kind, variant, stamps[pk], text) for pk, text in built.items()]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    except DatabaseError:  # e.g. a talk deleted meanwhile: the pieces were only a cache
        pass
