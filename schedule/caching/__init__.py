"""The one response cache behind every public page and export.

A response depends on a change marker (schedule.markers: one per event, one for the site),
on the view and on a whitelist of its cleaned query parameters. Those make the ETag; the
marker is the Last-Modified. A request for an unchanged response reads the marker (from the
cache: no SQL query with a shared cache, at most one otherwise) and answers 304 or the stored
body. Bodies are stored with their gzip encoding, so nothing is compressed per request.

- Canonical keys: each view names the parameters it reads; values are trimmed, bounded,
  de-duplicated and sorted, and the response is built from exactly those (unknown parameters
  neither create entries nor reach the page). The site root in links comes from
  SCHEDULE_BASE_URL, else from the validated Host (one entry per allowed host).
- Personal or free-text responses (`shared=False`) still get ETags and 304s, but their
  bodies are never stored.
- No stampede: one request per body builds it (a short lock in the cache); others wait
  briefly for it, or get the previous body of the same page for a few seconds.
- The cache is an optimisation: when it fails, the response is built from the database.
"""

from schedule.caching.access import (
    cache_add,
    cache_delete_many,
    cache_get,
    cache_set,
    marker_seconds,
    shared_cache,
)
from schedule.caching.bodies import compress, local_copies
from schedule.caching.marker_reads import (
    SITE_KEY,
    Marker,
    event_key,
    event_marker,
    forget_markers,
    site_marker,
)
from schedule.caching.requests import accepts_gzip, canonical_query, site_root
from schedule.caching.serving import (
    LIVE,
    PAGES,
    CachePolicy,
    serve,
)

__all__ = [
    "LIVE",
    "PAGES",
    "SITE_KEY",
    "CachePolicy",
    "Marker",
    "accepts_gzip",
    "cache_add",
    "cache_delete_many",
    "cache_get",
    "cache_set",
    "canonical_query",
    "compress",
    "local_copies",
    "event_key",
    "event_marker",
    "forget_markers",
    "marker_seconds",
    "serve",
    "shared_cache",
    "site_marker",
    "site_root",
]


def forget_process_copies() -> None:
    """Drop this process's copies of built bodies (for tests and benchmarks that start cold)."""
    local_copies().clear()
