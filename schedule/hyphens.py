"""Where long words may break in narrow places (the grid's cards): soft hyphens at the
hyphenation points of the talk's language (pyphen's LibreOffice dictionaries), so a title
wraps with a visible hyphen and never mid-word without one. Browsers hyphenate by
themselves only where they ship a dictionary (Chromium on Linux does not)."""

import functools
import re

import pyphen

SOFT_HYPHEN = "\u00ad"
ZERO_WIDTH_SPACE = "\u200b"
LONG_WORD = re.compile(r"[^\W\d_]{8,}")
SLASH_BETWEEN_WORDS = re.compile(r"(?<=\w)/(?=\w)")  # "YAML/CABAC/SIMD": may break after


@functools.lru_cache(maxsize=32)
def _dictionary(language: str) -> pyphen.Pyphen:
    """A dictionary per language code (read once: a pure function of the code)."""
    code = pyphen.language_fallback((language or "en").replace("-", "_")) or "en"
    return pyphen.Pyphen(lang=code)


def hyphenated(text: str, language: str = "en") -> str:
    """`text` with soft hyphens inside its long words, and a break opportunity after a slash
    between words (browsers keep "YAML/CABAC/SIMD" in one piece)."""
    dictionary = _dictionary(language)
    text = LONG_WORD.sub(lambda word: dictionary.inserted(word.group(0), SOFT_HYPHEN), text)
    return SLASH_BETWEEN_WORDS.sub("/" + ZERO_WIDTH_SPACE, text)
