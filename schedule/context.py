"""Template context every page has: its own absolute address (for og:url), and how often the
live parts of a page poll room states."""

from django.conf import settings
from django.core.exceptions import DisallowedHost


def page_url(request):
    """The page's absolute URL, or "" for a Host not ours (the 400 page must not raise)."""
    try:
        return {"page_url": request.build_absolute_uri()}
    except DisallowedHost:
        return {"page_url": ""}


def live(request):
    return {"room_status_poll": settings.SCHEDULE_ROOM_STATUS_POLL_SECONDS}
