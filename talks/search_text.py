"""One folded form for everything searched, so SQLite and PostgreSQL (neither folds accents)
agree: talks store their text folded and queries fold their words alike. Transliteration also
meets what Unicode does not decompose ("Łódź"/"Lodz", "Straße"/"Strasse", "李雷"/"li lei")."""

import re
from dataclasses import dataclass

from anyascii import anyascii

from talks.identity import name_key

WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORDS = 8


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: "Dan Čermák" -> "dan cermak"."""
    return " ".join(WORD.findall(anyascii(text or "").casefold()))


PREFIX_FROM = 3  # letters of the last word typed from which it also matches a word's start


@dataclass(frozen=True, slots=True)
class Term:
    """One word of a query in both foldings: `text` for search_text and place names,
    `name` for Speaker.name_key (which folds case and accents only); `prefix` when it may
    match the start of a word (the last word typed, as it may not be finished)."""

    text: str
    name: str
    prefix: bool = False


def query_terms(query: str) -> list[Term]:
    """The query's distinct words (each must match), most selective first, at most
    MAX_WORDS; the last word typed, from PREFIX_FROM letters, as a prefix."""
    words = (query or "").split()
    terms = {}
    for position, word in enumerate(words, start=1):
        text = fold(word)
        prefix = position == len(words) and len(text) >= PREFIX_FROM
        if text and (prefix or text not in terms):
            terms[text] = Term(text, name_key(word), prefix)
    return sorted(terms.values(), key=lambda t: len(t.text), reverse=True)[:MAX_WORDS]


def talk_search_text(talk) -> str:
    """What a talk is found by besides its people and places: title, subtitle, abstract."""
    return fold(" ".join((talk.title, talk.subtitle or "", talk.abstract_text or "")))
