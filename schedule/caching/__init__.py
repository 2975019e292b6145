"""The one response cache behind every public page and export, keyed by change marker, view
and cleaned parameters. How it works: docs/speed.md"""

from schedule.caching.access import cache_add, cache_delete_many, cache_get, cache_set, shared_cache
from schedule.caching.bodies import local_copies
from schedule.caching.marker_reads import (
    SITE_KEY,
    Marker,
    event_key,
    event_marker,
    forget_markers,
    site_marker,
)
from schedule.caching.serving import PAGES, CachePolicy, serve

__all__ = [
    "PAGES",
    "SITE_KEY",
    "CachePolicy",
    "Marker",
    "cache_add",
    "cache_delete_many",
    "cache_get",
    "cache_set",
    "local_copies",
    "event_key",
    "event_marker",
    "forget_markers",
    "serve",
    "shared_cache",
    "site_marker",
]


def forget_process_copies() -> None:
    """Drop this process's copies of built bodies (for tests and benchmarks that start cold)."""
    local_copies().clear()
