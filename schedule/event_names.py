"""What an edition may be called: its slug, its time zone and its series (the conference)."""

import ipaddress
import re
import zoneinfo
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "“%(value)s” is not an IANA time zone name (for example Europe/Brussels).",
            params={"value": value},
            code="invalid_timezone",
        )


# The site's own top-level URL prefixes, which an event slug would shadow (a test checks them).
RESERVED_EVENT_SLUGS = {"admin", "events", "speakers", "static", "media", "healthz", "accounts"}
EVENT_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def validate_event_slug(value: str) -> None:
    """Lower-case letters, digits and single hyphens, and none of the site's own prefixes."""
    if not EVENT_SLUG.fullmatch(value or ""):
        raise ValidationError(
            "“%(value)s” is not a usable event slug: use lower-case letters, digits and "
            "hyphens, e.g. fosdem-2025.",
            params={"value": value},
            code="invalid_slug",
        )
    if value in RESERVED_EVENT_SLUGS:
        raise ValidationError(
            "“%(value)s” is reserved for the site's own pages; choose another slug.",
            params={"value": value},
            code="reserved_slug",
        )


SECOND_LEVEL_SUFFIXES = {"co", "com", "org", "net", "ac", "gov", "edu"}


def default_series(base_url: str, name: str) -> str:
    """The conference's own name: the host's main label (debconf23.debconf.org -> debconf),
    else the name without its year (FOSDEM 2024 -> fosdem, debconf23 -> debconf)."""
    host = (urlsplit(base_url or "").hostname or "").lower()
    labels = [label for label in host.split(".") if label]
    if is_address(host) or labels[-1:] in (["localhost"], ["local"], ["internal"]):
        labels = []  # a test server's address names no conference
    if len(labels) >= 2:
        main = labels[-2]
        if main in SECOND_LEVEL_SUFFIXES and len(labels) >= 3:
            main = labels[-3]
        return main[:100]
    words = re.split(r"[^a-z0-9]+", (name or "").lower())
    words = [re.sub(r"(?<=[a-z])(\d{2}|\d{4})$", "", w) for w in words if w]
    words = [w for w in words if not re.fullmatch(r"\d{2}|\d{4}", w)]
    return "-".join(words)[:100] or (name or "")[:100]


def is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
