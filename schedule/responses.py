"""HTTP plumbing shared by pages and exports: the event from the URL, cached pages, links."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404

from schedule import caching
from schedule.models import Event


def base_url(request) -> str:
    """Absolute site root for links in exports: configured, else from the request."""
    return settings.SCHEDULE_BASE_URL or request.build_absolute_uri("/").rstrip("/")


class EventMixin:
    """Resolves <event> from the URL once; 404 for an unknown slug."""

    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(Event, slug=kwargs["event"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["event"] = self.event  # the URL's slug string is replaced by the object
        return super().get_context_data(**kwargs)


class CachedPageMixin:
    """A public page served through schedule.caching: before anything loads, the change
    marker decides between 304, the stored body, or a build. `cache_params`: the query
    parameters the page reads; `site_wide` pages (speakers, editions) follow the site marker."""

    cache_params: tuple[str, ...] = ()
    site_wide = False
    policy = caching.PAGES

    def cache_variant(self) -> str:
        """Extra key part for pages that change without data changing (the clock)."""
        return ""

    def is_shared(self, request) -> bool:
        """Whether the body may be stored for everyone (not for free text or personal lists)."""
        return True

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)
        marker = caching.site_marker() if self.site_wide else caching.event_marker(kwargs["event"])
        if marker is None:
            raise Http404("No such event.")
        self.prepare(request, *args, **kwargs)

        def build(canonical):
            response = super(CachedPageMixin, self).dispatch(canonical, *args, **kwargs)
            talk_filter = (getattr(response, "context_data", None) or {}).get("filter")
            if talk_filter is not None and talk_filter.error_messages():
                # Ignored values (a random ?building=) must not each fill the cache.
                response.not_stored = True
            return response

        return caching.serve(
            request,
            marker,
            build,
            name=type(self).__name__,
            params=self.cache_params,
            shared=self.is_shared(request),
            variant=self.cache_variant(),
            policy=self.policy,
        )

    def prepare(self, request, *args, **kwargs):
        """Read what the cache key needs before serving (e.g. the clock); no queries."""
