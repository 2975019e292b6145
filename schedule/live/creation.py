"""Who may create an agenda, so one client cannot spend a venue's budget: a request from
this site's pages with a creation token (a signed browser id, valid a day), limited per
browser token; per-address limits (SCHEDULE_AGENDA_TOKENS_PER_HOUR, _CREATIONS_PER_HOUR) are
backstops sized for a venue behind one NAT. Existing agendas count per agenda token."""

import secrets

from django.conf import settings
from django.core import signing

from schedule.live import limits

SALT = "schedule.live.agenda-creation"
VALID_SECONDS = 24 * 3600


def new_token(request) -> str:
    """A creation token for this browser; "" once the address has had its hour's budget."""
    address = limits.client_address(request)
    if limits.over_limit("agenda-tokens", address, settings.SCHEDULE_AGENDA_TOKENS_PER_HOUR, 3600):
        return ""
    return signing.TimestampSigner(salt=SALT).sign(secrets.token_urlsafe(12))


def from_this_site(request) -> bool:
    """Not a cross-site form or script: browsers say where a request comes from."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    return origin is None or origin == f"{request.scheme}://{request.get_host()}"


def refusal(request, token: str) -> tuple[str, int, int] | None:
    """None when this creation may go ahead; else (message, status, retry-after seconds)."""
    if not from_this_site(request):
        return "Agendas are created from this site's own pages.", 403, 0
    try:  # the browser id a valid, unexpired creation token names
        browser = signing.TimestampSigner(salt=SALT).unsign(token or "", max_age=VALID_SECONDS)
    except signing.BadSignature:
        return "This page is too old to create an agenda: reload it and try again.", 403, 0
    address = limits.client_address(request)
    for scope, who, limit in (
        ("agenda-new", browser, settings.SCHEDULE_AGENDA_CREATIONS_PER_BROWSER),
        ("agenda-new-addr", address, settings.SCHEDULE_AGENDA_CREATIONS_PER_HOUR),
    ):
        if retry := limits.over_limit(scope, who, limit, 3600):
            return "Too many new agendas from this browser; try again later.", 429, retry
    return None
