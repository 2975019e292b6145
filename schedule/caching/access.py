"""Cache access that never fails a request: Redis down or slow means "build from the
database", logged, never a 5xx. Each operation waits CACHE_TIMEOUT_SECONDS at most, and for
DOWN_SECONDS after a failure the shared cache is not tried, so a paused Redis costs one
timeout, not one per call."""

import logging
import time

from django.conf import settings
from django.core.cache import cache, caches

log = logging.getLogger("schedule.caching")


def shared_cache() -> bool:
    """Whether every process sees the same cache (Redis), or each its own (local memory)."""
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def marker_seconds() -> float:
    """How long a marker may be kept: until invalidated with a shared cache, else half a
    second, so that an edit through one worker is served by the others within a second
    (the marker's age plus a rebuild of the changed body)."""
    return 300 if shared_cache() else 0.5


QUIET_SECONDS = 10  # one logged traceback per process this often while the cache is down
DOWN_SECONDS = 2  # a failure this recent means "the cache is down"
_last_failure = _last_logged = -1e9


def _failed(what: str, key: str) -> None:
    """Remember the failure; log it with its traceback at most once per QUIET_SECONDS (an
    outage under load would otherwise write thousands of tracebacks a second)."""
    global _last_failure, _last_logged
    now = time.monotonic()
    _last_failure = now
    if now - _last_logged >= QUIET_SECONDS:
        _last_logged = now
        log.warning(
            "cache %s failed for %s (the next %d s of failures are not logged)",
            what,
            key,
            QUIET_SECONDS,
            exc_info=True,
        )


def cache_down() -> bool:
    """Whether a cache operation of this process failed in the last DOWN_SECONDS."""
    return time.monotonic() - _last_failure < DOWN_SECONDS


def skipped() -> bool:
    """Whether to leave the shared cache alone for now (it failed a moment ago)."""
    return cache_down() and shared_cache()


def forget_failures() -> None:
    """Start again as if the caches never failed (tests switching caches)."""
    global _last_failure, _pieces_failure
    _last_failure = _pieces_failure = -1e9


def cache_get(key: str):
    if skipped():  # a paused Redis would cost every operation its timeout
        return None
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 (Redis down, timeouts, …: serve from the database)
        _failed("read", key)
        return None


def cache_set(key: str, value, seconds: int) -> None:
    if skipped():
        return
    try:
        cache.set(key, value, seconds)
    except Exception:  # noqa: BLE001
        _failed("write", key)


def cache_add(key: str, value, seconds: int) -> bool:
    if skipped():
        return True
    try:
        return cache.add(key, value, seconds)
    except Exception:  # noqa: BLE001
        _failed("lock", key)
        return True  # without a cache, every request builds for itself


def cache_count(key: str, seconds: int) -> int | None:
    """Adds one to a counter kept `seconds`; None when the cache cannot count."""
    if skipped():
        return None
    try:
        cache.add(key, 0, seconds)
        return cache.incr(key)
    except Exception:  # noqa: BLE001 (no cache, or the key expired in between)
        _failed("count", key)
        return None


def cache_delete_many(keys) -> None:
    """Always tried, also while the cache seems down: a stale marker left behind would be
    served for minutes once it is back."""
    keys = list(keys)
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001
        _failed("delete", ",".join(keys)[:200])


_pieces_failure = -1e9  # tracked apart: a failing pieces cache leaves the pages' cache on


def pieces_down() -> bool:
    return time.monotonic() - _pieces_failure < DOWN_SECONDS


def _pieces_failed(what: str) -> None:
    global _pieces_failure
    _pieces_failure = time.monotonic()
    log.warning("pieces cache %s failed (tried again in %d s)", what, DOWN_SECONDS, exc_info=True)


def pieces_get_many(keys: list[str]) -> dict:
    """Stored per-talk pieces (schedule.pieces), from the `pieces` cache; {} when it fails."""
    if pieces_down() or not keys:
        return {}
    try:
        return caches["pieces"].get_many(keys)
    except Exception:  # noqa: BLE001
        _pieces_failed("read")
        return {}


def pieces_set_many(values: dict, seconds: int) -> None:
    if pieces_down() or not values:
        return
    try:
        caches["pieces"].set_many(values, seconds)
    except Exception:  # noqa: BLE001
        _pieces_failed("write")
