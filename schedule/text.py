"""Free-text hygiene shared by readers and writers of schedule files."""

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None) -> str:
    """Control characters make XML invalid; strip them from all free text."""
    return CONTROL_CHARACTERS.sub("", value or "")
