"""A database that cannot be reached is an outage, not a bug: a short 503 with Retry-After."""

import logging
import sys
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 30
BUSY_RETRY_SECONDS = 10
# PostgreSQL giving up on a lock wait, a deadlock or a slow statement: the database is up.
BUSY_STATES = {"55P03": "lock", "40P01": "deadlock", "57014": "timeout"}


def busy_state(error: BaseException | None) -> str:
    """'lock', 'deadlock' or 'timeout' when the database answered that it is busy."""
    cause = getattr(error, "__cause__", None)
    return BUSY_STATES.get(getattr(cause, "sqlstate", None) or "", "")


log = logging.getLogger(__name__)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: 503 + Retry-After when the database is busy or down, else Django's 500."""
    error = sys.exc_info()[1]
    if busy_state(error):
        log.warning("database busy (%s): %s", busy_state(error), error)
        return unavailable(BUSY_RETRY_SECONDS, request, busy=True)
    # Down: connection-level failures only; a constraint or SQL error is still a bug (500).
    lost = isinstance(error, DatabaseError) and "connect" in str(error).lower()
    if not (lost or isinstance(error, (OperationalError, InterfaceError))):
        return django_server_error(request, template_name)
    if not database_down():  # a refusal during the pause does not lengthen it
        log.error("database unreachable: %s", error)
        mark_database_down()
    return unavailable(RETRY_AFTER_SECONDS)


def unavailable(retry_after: int, request=None, **context) -> HttpResponse:
    """The 503 page; rendered without the request (its context processors) when down."""
    body = loader.get_template("503.html").render({"retry_after": retry_after, **context}, request)
    headers = {"Retry-After": str(retry_after), "Cache-Control": "no-store"}
    return HttpResponse(body, status=503, headers=headers)


# Once a request finds the database unreachable, this process refuses new connections for a
# pause (schedule.database) rather than each request waiting on its own attempt.
_down_until = 0.0


def mark_database_down() -> None:
    global _down_until  # noqa: PLW0603 (one flag per process)
    _down_until = time.monotonic() + settings.SCHEDULE_DATABASE_PAUSE_SECONDS


def database_down() -> bool:
    return time.monotonic() < _down_until


def forget_database_down() -> None:
    global _down_until  # noqa: PLW0603
    _down_until = 0.0
