"""One folded form for everything searched, so that SQLite and PostgreSQL agree.

Neither database folds accents by itself (SQLite's LIKE only folds ASCII case; PostgreSQL
needs the unaccent extension), so talks store their searchable text already folded
(`Talk.search_text`, kept in step on save and on bulk creation) and queries fold their words
the same way. Transliteration (anyascii) also folds letters that Unicode does not decompose:
"Łódź" and "Lodz", "Straße" and "Strasse", "李雷" and "li lei" meet.
"""

import re

from anyascii import anyascii

from talks.identity import name_key

WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORDS = 8


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: "Dan Čermák" -> "dan cermak"."""
    return " ".join(WORD.findall(anyascii(text or "").casefold()))


class Term:
    """One word of a query in both foldings: `text` for search_text and place names,
    `name` for Speaker.name_key (which folds case and accents only)."""

    __slots__ = ("text", "name")

    def __init__(self, word: str):
        self.text = fold(word)
        self.name = name_key(word)

    def __repr__(self):
        return f"Term({self.text!r})"


def query_terms(query: str) -> list[Term]:
    """The distinct words of a query, longest first (the most selective), at most 8.

    Every term must match somewhere (AND); punctuation-only words are dropped.
    """
    terms = {}
    for word in (query or "").split():
        term = Term(word)
        if term.text:
            terms.setdefault(term.text, term)
    return sorted(terms.values(), key=lambda t: len(t.text), reverse=True)[:MAX_WORDS]


def talk_search_text(talk) -> str:
    """What a talk is found by besides its people and places: title, subtitle, abstract."""
    return fold(" ".join((talk.title, talk.subtitle or "", talk.abstract_text or "")))
