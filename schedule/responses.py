"""HTTP plumbing shared by every export: conditional GET, content types, file names."""

import hashlib
import json

from django.conf import settings
from django.db.models import Count, Max
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

EXPORT_MAX_AGE = 300  # seconds; proxies and apps may reuse an export this long


def base_url(request) -> str:
    """Absolute site root for links in exports: configured, else from the request."""
    return settings.SCHEDULE_BASE_URL or request.build_absolute_uri("/").rstrip("/")


def export_validators(request, talks) -> tuple[str, float | None]:
    """(ETag, Last-Modified timestamp) of a set of talks, from one aggregate query.

    The ETag also covers the URL (filters) and the newest change, so a moved, cancelled,
    added or deleted talk changes it.
    """
    stats = talks.order_by().aggregate(count=Count("pk"), latest=Max("updated"))
    latest = stats["latest"]
    key = f"{request.get_full_path()}|{stats['count']}|{latest.isoformat() if latest else ''}"
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    return etag, int(latest.timestamp()) if latest else None  # HTTP dates have whole seconds


def conditional_export(request, talks, build, *, content_type: str, filename: str | None):
    """304 when the client's copy is current, else build() and attach validators."""
    etag, last_modified = export_validators(request, talks)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        not_modified["ETag"] = etag
        return not_modified
    response = HttpResponse(build(), content_type=content_type)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    if filename:
        disposition = "attachment" if request.GET.get("download") else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=EXPORT_MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"  # apps and web tools fetch these
    return response


def json_bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode()
