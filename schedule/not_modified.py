"""304s for unchanged pages and exports, answered right after WhiteNoise."""

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from schedule.caching import cache_get, event_marker, site_marker, validator_key


class NotModifiedMiddleware:
    """Answers a revalidation of an unchanged page or export right after WhiteNoise, without
    URL routing, sessions or the view: two cache reads (the URL's last ETag and the current
    marker). Anything it cannot vouch for goes on to the view, which decides as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.META.get("HTTP_IF_NONE_MATCH")
        if sent and request.method in ("GET", "HEAD"):
            response = self.not_modified(request, sent)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def not_modified(request, sent: str):
        try:
            remembered = cache_get(validator_key(request))
        except Exception:  # noqa: BLE001 (a bad Host header: let Django answer it)
            return None
        if remembered is None:
            return None
        etag, scope, slug, policy, cors = remembered
        if etag not in [tag.strip() for tag in sent.split(",")]:
            return None
        if scope == "site":
            marker = site_marker()
        else:
            marker = event_marker(slug) if slug else None
        if marker is None or not etag.endswith(f'-{int(marker.changed.timestamp())}"'):
            return None
        response = HttpResponse(status=304)
        response["ETag"] = etag
        if cors:
            response["Access-Control-Allow-Origin"] = "*"
        patch_vary_headers(response, ["Accept-Encoding"])
        policy.apply(response)
        return response
