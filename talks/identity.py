"""Who a speaker is: names compared without case or accents, ASCII slugs, integer app ids."""

import hashlib
import unicodedata

from anyascii import anyascii
from django.utils.text import slugify

# Talks and people created here get app ids from this range up; imported files keep theirs.
# Below 2**31, so apps that read ids as 32-bit integers still can.
LOCAL_ID_BASE = 1_000_000_000
SLUG_MAX = 200


def name_key(name: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name: "Dan Čermák" -> "dan cermak"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())[:SLUG_MAX]


def readable_slug(text: str) -> str:
    """An ASCII slug from any script (Дмитрий -> dmitrii, 李雷 -> lilei); a name with nothing
    to transliterate gets a short stable hash, never a bare placeholder."""
    slug = slugify(anyascii(text or ""))[:SLUG_MAX].strip("-_")
    if slug:
        return slug
    digest = hashlib.sha1((text or "").encode()).hexdigest()[:8]
    return f"speaker-{digest}"


def unique_slug(base: str, taken) -> str:
    """base, base-2, base-3, … — the first not in `taken` (a set or any container)."""
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base[: SLUG_MAX - 8]}-{n}"
        n += 1
    return candidate
