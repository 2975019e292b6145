"""Template context every page has: its own absolute address (for og:url), how often the
live parts of a page poll room states, and the rehearsal's clock offset for page scripts."""

from django.conf import settings
from django.core.exceptions import DisallowedHost

from schedule import clock


def page_url(request):
    """The page's absolute URL, or "" for a Host not ours (the 400 page must not raise)."""
    try:
        return {"page_url": request.build_absolute_uri()}
    except DisallowedHost:
        return {"page_url": ""}


def live(request):
    """`clock_offset_ms`: how far SCHEDULE_REHEARSE_AT (DEBUG only) moves "now", so that the
    scripts' clock (jump to now, the grid's now line, a room's now and next) rehearses the
    same moment as the server's; 0 otherwise. Fixed per process, so pages stay cacheable."""
    offset = clock.rehearsal_offset()
    return {
        "room_status_poll": settings.SCHEDULE_ROOM_STATUS_POLL_SECONDS,
        "clock_offset_ms": round(offset.total_seconds() * 1000),
    }
