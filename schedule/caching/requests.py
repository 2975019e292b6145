"""Canonical requests: only the parameters a view reads, cleaned and sorted; the site root
links are built with."""

from django.conf import settings
from django.http import QueryDict

MAX_VALUE_LENGTH = 200
MAX_VALUES = 50


def canonical_query(request, params) -> QueryDict:
    """Only the parameters the view reads, trimmed, bounded, de-duplicated and sorted."""
    query = QueryDict(mutable=True)
    for name in sorted(params):
        values = {v.strip()[:MAX_VALUE_LENGTH] for v in request.GET.getlist(name)[:MAX_VALUES]}
        values.discard("")
        if values:
            query.setlist(name, sorted(values))
    query._mutable = False
    return query


def site_root(request) -> str:
    """SCHEDULE_BASE_URL, else the validated Host (so one cache entry per allowed host)."""
    return settings.SCHEDULE_BASE_URL or f"{request.scheme}://{request.get_host()}"


def accepts_gzip(request) -> bool:
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, _, quality = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return quality.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False
