"""serve(): 304, the stored body, or a build."""

import dataclasses
import hashlib

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

from schedule.caching.bodies import build_entry, cached_entry, response_from
from schedule.caching.marker_reads import Marker
from schedule.caching.requests import canonical_query, site_root


@dataclasses.dataclass
class CachePolicy:
    """How long clients and shared caches (a CDN, a reverse proxy) may reuse a response:
    browsers revalidate every time (a 304 costs a marker read); shared caches keep it
    `shared_seconds` and serve it stale while revalidating as long again, so behind a CDN an
    edit shows within 2 × shared_seconds."""

    shared_seconds: int = 5
    private: bool = False  # personal responses: only the browser keeps them, and revalidates

    def apply(self, response) -> None:
        """Merged with any Cache-Control the view set, as Django merges it."""
        if self.private:
            patch_cache_control(response, private=True, no_cache=True, max_age=0)
            return
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=self.shared_seconds,
            stale_while_revalidate=self.shared_seconds,
        )


PAGES = CachePolicy()


def serve(
    request, marker: Marker, render, *, name: str, params=(), shared=True, variant="", policy=PAGES
) -> HttpResponse:
    """Answer from the cache when the marker allows, else with `render(request)`, the query
    reduced to `params` (only a 200 is stored). `variant`: for pages that change without the
    data (now/next follows the clock), it joins the key and Last-Modified is left out.
    `shared=False`: never stored (free text, personal lists), though answering 304s."""
    request.GET = canonical_query(request, params)
    key = "|".join(
        [name, request.path, request.GET.urlencode(), site_root(request), marker.scope, variant]
    )
    changed = int(marker.changed.timestamp())
    etag = f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}-{changed}"'
    last_modified = None if variant else changed
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        not_modified["ETag"] = etag
        policy.apply(not_modified)
        return not_modified
    if shared:
        # Filtered variants of a page share one quota per marker (bodies.may_store_variant).
        quota = f"variants:{name}:{request.path}:{marker.scope}:{changed}" if request.GET else None
        entry = cached_entry(request, render, etag, quota)
    else:
        entry = build_entry(request, render)
    if isinstance(entry, HttpResponse):  # not a 200: passed through, never stored
        return entry
    return response_from(request, entry, etag, last_modified, policy)
