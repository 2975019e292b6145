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
- Revalidations of unchanged URLs are answered before routing by schedule.not_modified.
"""

import dataclasses
import datetime as dt
import hashlib
import logging
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from schedule.models import ChangeMarker, Event

try:  # ISA-L's gzip: a 1.5 MB feed in 10 ms instead of zlib's 50, 7 % larger
    from isal import igzip as gzip_codec

    GZIP_LEVEL = 3
except ImportError:  # a platform without its wheels: the standard library's zlib
    import gzip as gzip_codec

    GZIP_LEVEL = 5

log = logging.getLogger(__name__)

BODY_SECONDS = 24 * 3600  # bodies are keyed by marker, so an old one is never served as new
LOCK_SECONDS = 30  # a build that takes longer lets another request try
WAIT_SECONDS = 3.0  # how long a request waits for another's build of the same body
STALE_SECONDS = 10  # how old a previous body may be to stand in while it is rebuilt
MAX_VALUE_LENGTH = 200
MAX_VALUES = 50
SITE_KEY = "marker:site"


@dataclasses.dataclass(frozen=True)
class Marker:
    """What a response depends on: an event (by id) or the whole site, and when it changed."""

    scope: str
    changed: dt.datetime
    event_id: int | None = None


def shared_cache() -> bool:
    """Whether every process sees the same cache (Redis), or each its own (local memory)."""
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def marker_seconds() -> int:
    """How long a marker may be kept: until invalidated with a shared cache, else 1 s so
    that an edit through one worker reaches the others within a second."""
    return 300 if shared_cache() else 1


# -- cache access that never fails the request ---------------------------------------------


def cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 (Redis down, timeouts, …: serve from the database)
        log.warning("cache read failed for %s", key, exc_info=True)
        return None


def cache_set(key: str, value, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:  # noqa: BLE001
        log.warning("cache write failed for %s", key, exc_info=True)


def cache_add(key: str, value, seconds: int) -> bool:
    try:
        return cache.add(key, value, seconds)
    except Exception:  # noqa: BLE001
        log.warning("cache lock failed for %s", key, exc_info=True)
        return True  # without a cache, every request builds for itself


def cache_delete_many(keys) -> None:
    try:
        cache.delete_many(list(keys))
    except Exception:  # noqa: BLE001
        log.warning("cache delete failed", exc_info=True)


# -- markers --------------------------------------------------------------------------------


def event_key(slug: str) -> str:
    return f"marker:event:{slug}"


def event_marker(slug: str) -> Marker | None:
    """The event's change marker by URL slug; None for an unknown event."""
    value = cache_get(event_key(slug))
    if value is None:
        row = Event.objects.filter(slug=slug).values_list("pk", "changed").first()
        if row is None:
            return None
        value = (row[0], row[1].timestamp())
        cache_set(event_key(slug), value, marker_seconds())
    event_id, stamp = value
    return Marker(f"event:{event_id}", dt.datetime.fromtimestamp(stamp, dt.UTC), event_id)


def site_marker() -> Marker:
    """The site-wide marker (speaker pages and feeds, the list of editions)."""
    stamp = cache_get(SITE_KEY)
    if stamp is None:
        changed = ChangeMarker.objects.filter(key="site").values_list("changed", flat=True)
        changed = changed.first() or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        stamp = changed.timestamp()
        cache_set(SITE_KEY, stamp, marker_seconds())
    return Marker("site", dt.datetime.fromtimestamp(stamp, dt.UTC))


def forget_markers(event_slugs) -> None:
    """Drop cached copies of these events' markers (and the site's), now and again once
    the transaction that moved them commits (a request in between may have cached the old
    value; before the commit it cannot see the new one)."""
    keys = [SITE_KEY, *(event_key(slug) for slug in event_slugs)]
    cache_delete_many(keys)
    transaction.on_commit(lambda: cache_delete_many(keys))


# -- canonical requests ---------------------------------------------------------------------


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
    return settings.SCHEDULE_BASE_URL or f"{request.scheme}://{request.get_host()}"


def accepts_gzip(request) -> bool:
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, _, quality = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return quality.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


# -- serving --------------------------------------------------------------------------------


@dataclasses.dataclass
class CachePolicy:
    """How long clients and shared caches (a CDN, a reverse proxy) may reuse a response.

    Browsers revalidate every time (a 304 costs a marker read); shared caches keep a response
    up to `shared_seconds` and serve it stale while revalidating for as long again, so behind
    a CDN a change shows within 2 × shared_seconds (60 s by default).
    """

    browser_seconds: int = 0
    shared_seconds: int = 30
    private: bool = False  # personal responses: only the browser keeps them, and revalidates

    def apply(self, response) -> None:
        if self.private:
            patch_cache_control(response, private=True, no_cache=True, max_age=0)
            return
        patch_cache_control(
            response,
            public=True,
            max_age=self.browser_seconds,
            s_maxage=self.shared_seconds,
            stale_while_revalidate=self.shared_seconds,
        )


PAGES = CachePolicy()
LIVE = CachePolicy(browser_seconds=0, shared_seconds=15)  # now/next follows the clock


def serve(
    request,
    marker: Marker,
    render,
    *,
    name: str,
    params=(),
    shared: bool = True,
    variant: str = "",
    policy: CachePolicy = PAGES,
    cors: bool = False,
) -> HttpResponse:
    """Answer from the cache when the marker allows; else `render(request)` once.

    `render` gets the request with its query reduced to `params` and returns an
    HttpResponse; only 200 responses are stored. `variant` is for pages that change without
    the data changing (now/next follows the clock): it joins the key, and Last-Modified is
    left out. `shared=False` is for responses that must never be stored (free text, personal
    lists): they still answer 304.
    """
    request.GET = canonical_query(request, params)
    key = "|".join(
        [name, request.path, request.GET.urlencode(), site_root(request), marker.scope, variant]
    )
    base = hashlib.sha256(key.encode()).hexdigest()[:32]
    etag = f'"{base}-{int(marker.changed.timestamp())}"'
    last_modified = None if variant else int(marker.changed.timestamp())
    # Early 304s check only the marker: pages that also follow the clock are left out.
    canonical = (
        shared and not variant and request.GET.urlencode() == request.META.get("QUERY_STRING", "")
    )
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        not_modified["ETag"] = etag
        policy.apply(not_modified)
        if canonical:
            remember_validator(request, etag, marker, policy, cors)
        return not_modified
    if shared:
        entry = cached_entry(request, render, base, etag, last_modified)
    else:
        entry = build_entry(request, render)
        if not isinstance(entry, HttpResponse):
            entry["etag"] = etag
    if isinstance(entry, HttpResponse):  # not a 200: passed through, never stored
        return entry
    if entry["etag"] != etag:  # a previous body standing in while the new one is built
        etag, last_modified = entry["etag"], entry.get("last_modified")
    elif canonical:
        remember_validator(request, etag, marker, policy, cors)
    return response_from(request, entry, etag, last_modified, policy)


def build_entry(request, render):
    response = render(request)
    if response.status_code != 200 or response.streaming:
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    body = response.content
    headers = {
        header: response[header]
        for header in ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin")
        if header in response
    }
    packed = compress(body)
    return {
        "body": body,
        "gzip": packed if len(packed) < len(body) else None,
        "headers": headers,
    }


def compress(body: bytes) -> bytes:
    """The gzip encoding stored beside a body (never made per request)."""
    return gzip_codec.compress(body, GZIP_LEVEL, mtime=0)


class LocalBodies:
    """Bodies recently served by this process, in front of a shared cache.

    A body is keyed by its ETag, which names the marker it was built for, so a copy can
    never be out of date; keeping the last few megabytes here saves fetching (and
    unpickling) a 2 MB calendar from Redis on every request.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes, self.size, self.entries = max_bytes, 0, OrderedDict()

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0

    def get(self, key: str):
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: dict) -> None:
        if not shared_cache() or key in self.entries:
            return  # a local-memory cache is already in this process
        size = len(entry["body"]) + len(entry.get("gzip") or b"")
        if size > self.max_bytes // 4:
            return
        self.entries[key] = entry
        self.size += size
        while self.size > self.max_bytes:
            _, old = self.entries.popitem(last=False)
            self.size -= len(old["body"]) + len(old.get("gzip") or b"")


LOCAL = LocalBodies(max_bytes=64 * 1024 * 1024)


def cached_entry(request, render, base: str, etag: str, last_modified: int | None):
    """The stored entry for `etag`, built by one request at a time."""
    body_key, latest_key, lock_key = f"body:{etag}", f"latest:{base}", f"lock:{etag}"
    entry = LOCAL.get(body_key) or cache_get(body_key)
    if entry is not None:
        LOCAL.put(body_key, entry)
        return entry
    deadline = time.monotonic() + WAIT_SECONDS
    while not cache_add(lock_key, 1, LOCK_SECONDS):
        previous = cache_get(latest_key)
        if previous is not None and time.time() - previous["built"] < STALE_SECONDS:
            return previous
        if time.monotonic() > deadline:
            break  # the builder is slow or gone: build for ourselves
        time.sleep(0.05)
        entry = cache_get(body_key)
        if entry is not None:
            return entry
    try:
        entry = build_entry(request, render)
        if isinstance(entry, HttpResponse):
            return entry
        entry |= {"etag": etag, "built": time.time(), "last_modified": last_modified}
        cache_set(body_key, entry, BODY_SECONDS)
        cache_set(latest_key, entry, BODY_SECONDS)
        return entry
    finally:
        cache_delete_many([lock_key])


def response_from(request, entry, etag, last_modified, policy) -> HttpResponse:
    body = entry["body"]
    response = HttpResponse()
    for header, value in entry["headers"].items():
        response[header] = value
    if entry.get("gzip") is not None and accepts_gzip(request):
        body = entry["gzip"]
        response["Content-Encoding"] = "gzip"
    response.content = body
    response["Content-Length"] = str(len(body))
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_vary_headers(response, ["Accept-Encoding"])
    policy.apply(response)
    return response


# -- 304s before the rest of Django ---------------------------------------------------------


def validator_key(request) -> str:
    return f"validator:{site_root(request)}{request.get_full_path()}"


def remember_validator(request, etag: str, marker: Marker, policy: CachePolicy, cors) -> None:
    """Lets NotModifiedMiddleware answer this exact URL's revalidations. Only canonical
    URLs (no unknown or unsorted parameters) are remembered, so nobody can fill the cache."""
    key = validator_key(request)
    written = REMEMBERED.get(key)
    if written and written[0] == etag and time.monotonic() - written[1] < 60:
        return  # this process wrote it lately: no cache write per request
    if len(REMEMBERED) > 10_000:
        REMEMBERED.clear()
    REMEMBERED[key] = (etag, time.monotonic())
    slug = request.resolver_match.kwargs.get("event") if request.resolver_match else None
    cache_set(key, (etag, marker.scope, slug, policy, cors), BODY_SECONDS)


# URL -> (ETag, when) this process last stored a validator for; rewritten after a minute in
# case the cache evicted it.
REMEMBERED: dict[str, tuple[str, float]] = {}
