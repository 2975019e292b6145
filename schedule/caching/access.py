"""Cache access that never fails a request: Redis down or slow means "build from the
database", logged. Each operation waits CACHE_TIMEOUT_SECONDS at most, and for DOWN_SECONDS
after a failure the cache is not tried: a paused Redis costs one timeout, not one per call."""

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
    second, so an edit through one worker shows in the others within a second."""
    return 300 if shared_cache() else 0.5


QUIET_SECONDS = 10  # one logged traceback per process this often while a cache is down
DOWN_SECONDS = 2  # a failure this recent means "the cache is down"
_failures: dict[str, float] = {}  # alias -> when it last failed (the pieces apart)
_last_logged = -1e9


def cache_down(alias: str = "default") -> bool:
    """Whether an operation of this process on the cache failed in the last DOWN_SECONDS."""
    return time.monotonic() - _failures.get(alias, -1e9) < DOWN_SECONDS


def forget_failures() -> None:
    """Start again as if the caches never failed (tests switching caches)."""
    _failures.clear()


def _guarded(alias: str, what: str, fallback, operation, *, always=False):
    """operation(the cache), or `fallback` when it fails or failed a moment ago (`always`:
    tried even then)."""
    global _last_logged  # noqa: PLW0603 (one log throttle per process)
    if cache_down(alias) and not always:
        return fallback
    try:
        return operation(cache if alias == "default" else caches[alias])
    except Exception:  # noqa: BLE001 (Redis down, timeouts, …: serve from the database)
        now = _failures[alias] = time.monotonic()
        if now - _last_logged >= QUIET_SECONDS:  # not thousands of tracebacks a second
            _last_logged = now
            log.warning(
                "%s cache %s failed (the next %d s of failures are not logged)",
                alias, what, QUIET_SECONDS, exc_info=True,
            )  # fmt: skip
        return fallback


def cache_get(key: str):
    return _guarded("default", "read", None, lambda c: c.get(key))


def cache_set(key: str, value, seconds: int) -> None:
    _guarded("default", "write", None, lambda c: c.set(key, value, seconds))


def cache_add(key: str, value, seconds: int) -> bool:
    return _guarded("default", "add", True, lambda c: c.add(key, value, seconds))


def cache_count(key: str, seconds: int) -> int | None:
    """Adds one to a counter kept `seconds`; None when the cache cannot count."""

    def count(cache):
        cache.add(key, 0, seconds)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: not a failing cache
            return None

    return _guarded("default", "count", None, count)


def cache_delete_many(keys) -> None:
    """Tried also while the cache seems down: a stale marker left behind would be served for
    minutes once it is back."""
    keys = list(keys)
    _guarded("default", "delete", None, lambda c: c.delete_many(keys), always=True)


def pieces_get_many(keys: list[str]) -> dict:
    """Stored per-talk pieces (schedule.pieces); {} when the `pieces` cache fails."""
    return _guarded("pieces", "read", {}, lambda c: c.get_many(keys)) if keys else {}


def pieces_set_many(values: dict, seconds: int) -> None:
    if values:
        _guarded("pieces", "write", None, lambda c: c.set_many(values, seconds))
