"""HTTP plumbing shared by cached pages and exports: validators, conditional GET, caching."""

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from schedule.models import Event

EXPORT_MAX_AGE = 300  # seconds; proxies and apps may reuse an export this long
EXPORT_CACHE_SECONDS = 24 * 3600  # keyed by ETag, so a change never serves a stale body


def base_url(request) -> str:
    """Absolute site root for links in exports: configured, else from the request."""
    return settings.SCHEDULE_BASE_URL or request.build_absolute_uri("/").rstrip("/")


def validators(request, marker: dt.datetime, variant: str = "") -> tuple[str, int | None]:
    """(ETag, Last-Modified timestamp) of a response from the change marker it depends on.

    The marker (schedule.markers) moves on every addition, change and deletion, so the
    validators need no query over the rows. `variant` is for pages that change without the
    data changing (now/next follows the clock): it joins the ETag, and Last-Modified is left
    out because the data's age says nothing about such a page.
    """
    key = "|".join([request.get_full_path(), marker.isoformat(), variant])
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    return etag, (None if variant else int(marker.timestamp()))


def cached_response(
    request,
    marker: dt.datetime,
    build,
    *,
    content_type: str = "text/html; charset=utf-8",
    max_age: int = EXPORT_MAX_AGE,
    variant: str = "",
) -> HttpResponse:
    """304 when the client's copy is current; else build() once per ETag and cache the bytes.

    The one mechanism behind every cached page and export.
    """
    etag, last_modified = validators(request, marker, variant)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        not_modified["ETag"] = etag
        return not_modified
    body = cache.get(f"response:{etag}")
    if body is None:
        body = build()
        cache.set(f"response:{etag}", body, EXPORT_CACHE_SECONDS)
    response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def conditional_export(request, marker, build, *, content_type: str, filename: str | None):
    """cached_response() plus what downloads and cross-site apps need."""
    response = cached_response(request, marker, build, content_type=content_type)
    if response.status_code == 200:
        if filename:
            disposition = "attachment" if request.GET.get("download") else "inline"
            response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
        response["Access-Control-Allow-Origin"] = "*"  # apps and web tools fetch these
    return response


def json_bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


class EventMixin:
    """Resolves <event> from the URL once; 404 for an unknown slug."""

    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(Event, slug=kwargs["event"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["event"] = self.event  # the URL's slug string is replaced by the object
        return super().get_context_data(**kwargs)


class CachedPageMixin:
    """Conditional GET and a rendered-page cache, keyed by the event's change marker.

    Public pages carry nothing user-specific, so the same bytes serve everyone until the
    event's change marker moves (any talk, speaker, link, room, devroom or the event).
    """

    page_max_age = 60

    def cache_variant(self) -> str:
        """Extra cache key part for pages that change without data changing (the clock)."""
        return ""

    def get(self, request, *args, **kwargs):
        def render_page() -> bytes:
            return super(CachedPageMixin, self).get(request, *args, **kwargs).render().content

        return cached_response(
            request,
            self.event.changed,
            render_page,
            max_age=self.page_max_age,
            variant=self.cache_variant(),
        )
