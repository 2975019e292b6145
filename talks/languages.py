"""Language codes as people read them: schedules store "en", pages say "English"."""

from django.utils.translation import get_language_info


def language_name(code: str) -> str:
    """The English name of a language code ("en", "pt-BR" -> "English", "Brazilian
    Portuguese"), the code itself when Django does not know it."""
    for candidate in (code, code.split("-")[0]):
        try:
            return get_language_info(candidate.lower())["name"]
        except KeyError:
            continue
    return code
