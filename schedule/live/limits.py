"""Fixed-window rate limits counted in the cache, per agenda token and per client address,
and who may create an agenda (creation tokens). Rules: docs/live-day.md#personal-agendas"""

import secrets
import time

from django.conf import settings
from django.core import signing

from schedule.caching.access import cache_count

SALT = "schedule.live.agenda-creation"
VALID_SECONDS = 24 * 3600


def client_address(request) -> str:
    if proxies := settings.SCHEDULE_TRUSTED_PROXIES:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def over_limit(scope: str, who: str, limit: int, window: int) -> int:
    """0 when this request is within `limit` per `window` seconds, else the seconds until
    the window ends. A cache that cannot count lets the request through."""
    now = int(time.time())
    start = now - now % window
    count = cache_count(f"limit:{scope}:{who}:{start}", window + 5) or 0
    return 0 if count <= limit else start + window - now


def new_token(request) -> str:
    """A creation token for this browser; "" once the address has had its hour's budget."""
    address = client_address(request)
    if over_limit("agenda-tokens", address, settings.SCHEDULE_AGENDA_TOKENS_PER_HOUR, 3600):
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
    address = client_address(request)
    for scope, who, limit in (
        ("agenda-new", browser, settings.SCHEDULE_AGENDA_CREATIONS_PER_BROWSER),
        ("agenda-new-addr", address, settings.SCHEDULE_AGENDA_CREATIONS_PER_HOUR),
    ):
        if retry := over_limit(scope, who, limit, 3600):
            return "Too many new agendas from this browser; try again later.", 429, retry
    return None
