"""Stored bodies, kept with their gzip encoding and served as they are. Concurrent misses
of one URL are coalesced by the reverse proxy in front (deploy/nginx.conf: proxy_cache_lock)."""

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from schedule.caching.access import cache_count, cache_down, cache_get, cache_set, shared_cache
from schedule.caching.requests import accepts_gzip

try:  # ISA-L's gzip: much faster than zlib, slightly larger (docs/speed.md, also level 2)
    from isal import igzip as gzip_codec

    GZIP_LEVEL = 2
except ImportError:  # a platform without its wheels: the standard library's zlib
    import gzip as gzip_codec

    GZIP_LEVEL = 5

BODY_SECONDS = 24 * 3600  # bodies are keyed by marker, so an old one is never served as new


# Set per answer by the cache or the policy, never kept from the view's response; every
# other header is kept, as Django's cache middleware keeps the whole response.
SET_PER_ANSWER = {
    "content-length", "content-encoding", "etag", "last-modified", "date", "cache-control",
    "expires", "vary",
}  # fmt: skip


def build_entry(request, render):
    """The view's 200 response as an entry to store; any other response as it is."""
    response = render(request)
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies  # a cookie is somebody's: a response setting one is not shared
        or getattr(response, "not_stored", False)
    ):
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    body = response.content
    packed = compress(body)
    return {
        "body": body,
        "gzip": packed if len(packed) < len(body) else None,
        "headers": {
            name: value for name, value in response.items() if name.lower() not in SET_PER_ANSWER
        },
        "vary": response.get("Vary"),
    }


def compress(body: bytes) -> bytes:
    """The gzip encoding stored beside a body (never made per request)."""
    return gzip_codec.compress(body, GZIP_LEVEL, mtime=0)


def local_copies():
    """This process's copies of bodies (Django's local-memory cache) in front of a shared
    one: a body is keyed by its ETag, so a copy is never stale, and a 2 MB feed is not
    fetched from Redis on every request; also what is served while Redis is down."""
    return caches["local"]


def stored_entry(etag: str):
    body_key = f"body:{etag}"
    if not shared_cache():
        return cache_get(body_key)
    entry = local_copies().get(body_key)
    if entry is None and not cache_down():
        entry = cache_get(body_key)
        if entry is not None:
            local_copies().set(body_key, entry, BODY_SECONDS)
    return entry


def may_store_variant(quota_key: str | None) -> bool:
    """Whether one more filtered variant of a page may be stored under this marker: only the
    first SCHEDULE_STORED_VARIANTS_PER_PAGE are, so made-up filters cannot fill the cache."""
    if quota_key is None:
        return True
    count = cache_count(quota_key, BODY_SECONDS)
    return count is not None and count <= settings.SCHEDULE_STORED_VARIANTS_PER_PAGE


def cached_entry(request, render, etag: str, quota_key: str | None):
    """The stored entry for `etag`, else built and stored; a filtered variant past its page's
    quota (`quota_key`) is built and not stored."""
    if (entry := stored_entry(etag)) is not None:
        return entry
    entry = build_entry(request, render)
    if isinstance(entry, HttpResponse) or not may_store_variant(quota_key):
        return entry
    cache_set(f"body:{etag}", entry, BODY_SECONDS)
    if shared_cache():  # in front of it, and served while it is down
        local_copies().set(f"body:{etag}", entry, BODY_SECONDS)
    return entry


def response_from(request, entry, etag, last_modified, policy) -> HttpResponse:
    gzipped = entry.get("gzip") is not None and accepts_gzip(request)
    body = entry["gzip"] if gzipped else entry["body"]
    response = HttpResponse(body, headers=entry["headers"])
    if gzipped:
        response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(body))
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    if entry.get("vary"):
        response["Vary"] = entry["vary"]
    patch_vary_headers(response, ["Accept-Encoding"])
    policy.apply(response)
    return response
