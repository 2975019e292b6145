"""Repeats of unchanged pages and exports, answered right after WhiteNoise."""

from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.utils.cache import patch_vary_headers

from schedule.caching import (
    REMEMBERED,
    cache_get,
    event_marker,
    site_marker,
    validator_key,
)
from schedule.caching.bodies import response_from, stored_entry
from schedule.caching.serving import keep_validator


class EarlyResponseMiddleware:
    """Answers a request for an unchanged page or export right after WhiteNoise, without URL
    routing, sessions or the view: a revalidation gets its 304, any other request the stored
    body. It needs the URL's last ETag (kept by this process, else one cache read), the
    current marker (one cache read) and, for a 200, the stored body (in this process, else
    one cache read). Only canonical URLs that a view has answered before are known here;
    anything it cannot vouch for goes on to the view, which decides as usual.

    A 200 gets the headers the middleware after this one would add to such a page
    (X-Frame-Options, Content-Security-Policy); sessions, CSRF and messages add nothing to a
    public page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.page_headers = [
            XFrameOptionsMiddleware(get_response),
            CSPMiddleware(get_response),
        ]

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            response = self.early(request)
            if response is not None:
                return response
        return self.get_response(request)

    def early(self, request):
        try:
            key = validator_key(request)
        except Exception:  # noqa: BLE001 (a bad Host header: let Django answer it)
            return None
        kept = REMEMBERED.get(key)
        if kept is not None:
            validator = kept[2]
        else:
            validator = cache_get(key)
            if validator is None:
                return None
            keep_validator(key, validator)
        etag, scope, slug, policy, cors = validator
        if scope == "site":
            marker = site_marker()
        else:
            marker = event_marker(slug) if slug else None
        if marker is None or not etag.endswith(f'-{int(marker.changed.timestamp())}"'):
            return None
        sent = request.META.get("HTTP_IF_NONE_MATCH")
        if not sent and request.META.get("HTTP_IF_MODIFIED_SINCE"):
            return None  # revalidation by date only: the view answers it
        if sent:
            if etag not in [tag.strip() for tag in sent.split(",")]:
                return None  # another version, or If-Modified-Since rules: the view decides
            response = HttpResponse(status=304)
            response["ETag"] = etag
            patch_vary_headers(response, ["Accept-Encoding"])
            policy.apply(response)
        else:
            entry = stored_entry(etag)
            if entry is None:
                return None
            response = response_from(request, entry, etag, entry.get("last_modified"), policy)
            for middleware in self.page_headers:
                response = middleware.process_response(request, response)
        if cors:
            response["Access-Control-Allow-Origin"] = "*"
        return response
