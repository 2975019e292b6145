"""Fixed-window rate limits counted in the cache. Agenda endpoints count per token, not per
address (a venue shares a few Wi-Fi addresses). SCHEDULE_TRUSTED_PROXIES: how many proxies
append to X-Forwarded-For; the client is what the outermost trusted one saw."""

import time

from django.conf import settings
from django.core.cache import cache

from schedule.caching import cache_add, cache_get


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
    the window ends. A cache that fails lets the request through."""
    now = int(time.time())
    start = now - now % window
    key = f"limit:{scope}:{who}:{start}"
    cache_add(key, 0, window + 5)
    try:
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 (no cache, or the key expired in between)
        count = cache_get(key) or 0
    return 0 if count <= limit else start + window - now
