"""Reading and writing the pieces in Django's `pieces` cache under a key holding their stamp
(stale ones are never found, nothing is deleted). How: docs/speed.md (cold builds)"""

import functools
import hashlib
from collections.abc import Callable
from importlib import metadata

from django.conf import settings

from schedule.caching.access import pieces_get_many, pieces_set_many
from schedule.pieces.stamps import TalkRow

PIECE_SECONDS = 7 * 24 * 3600  # an unchanged talk's pieces outlive a week of quiet


def variant_of(*parts: str) -> str:
    """What else pieces depend on (the site URL in links, the series of person ids), and
    the version of the code that renders them."""
    joined = "|".join([*parts, code_version()])
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


# The libraries whose output is in a piece: Markdown and nh3 (abstracts), Jinja2 and
# Django (templates, escaping, formats), icalendar (VEVENTs), orjson (JSON entries),
# pyphen (hyphenation points in grid cards).
SHAPING_LIBRARIES = (
    "django", "jinja2", "markdown", "nh3", "icalendar", "orjson", "markupsafe", "pyphen",
)  # fmt: skip


@functools.cache
def code_version() -> str:
    """A digest of what could shape a piece (the apps' Python files, the templates, the
    libraries above), so pieces stored by a previous deploy are never used."""
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


def pieces(
    rows: list[TalkRow], kind: str, variant: str, build: Callable, *, as_bytes: bool = False
) -> dict[int, str] | dict[int, bytes]:
    """Talk id -> text for every row: the stored pieces with the row's current stamp, the
    rest built with `build(talk_ids)` and stored (a cache that fails is only a miss).
    `as_bytes`: stored and returned as UTF-8, for a file joined as bytes."""
    keys = {row.pk: piece_key(kind, variant, row) for row in rows}
    stored = pieces_get_many(list(keys.values()))
    found = {pk: stored[key] for pk, key in keys.items() if key in stored}
    if missing := [pk for pk in keys if pk not in found]:
        built = build(missing)
        if as_bytes:
            built = {pk: text.encode() for pk, text in built.items()}
        pieces_set_many({keys[pk]: text for pk, text in built.items()}, PIECE_SECONDS)
        found.update(built)
    return found  # a kind's pieces are always stored as built: str, or bytes with `as_bytes`


def piece_key(kind: str, variant: str, row: TalkRow) -> str:
    stamp = hashlib.blake2b(row.stamp.encode(), digest_size=12).hexdigest()
    return f"piece:{kind}:{variant}:{row.pk}:{stamp}"
