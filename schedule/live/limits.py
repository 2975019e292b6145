"""Fixed-window rate limits counted in the cache. Agenda endpoints count per token, not per
address (a venue shares a few Wi-Fi addresses). SCHEDULE_TRUSTED_PROXIES: how many proxies
append to X-Forwarded-For; the client is what the outermost trusted one saw."""

import time

from django.conf import settings

from schedule.caching.access import cache_count


def client_address(request) -> str:
    proxies = settings.SCHEDULE_TRUSTED_PROXIES
    if proxies:
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
