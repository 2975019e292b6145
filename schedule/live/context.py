"""Template context for the live parts of every page (how often to poll room states)."""

from django.conf import settings


def live(request):
    return {"room_status_poll": settings.SCHEDULE_ROOM_STATUS_POLL_SECONDS}
