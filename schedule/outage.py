"""A database that cannot be reached is an outage, not a bug: the visitor gets a short 503
with Retry-After (pages already in the cache are still served, see schedule.caching), and
the site recovers by itself when the database is back (Django reconnects per request)."""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 30
OUTAGES = (OperationalError, InterfaceError)
log = logging.getLogger(__name__)


def is_outage(error: BaseException | None) -> bool:
    """Connection-level failures only: a constraint or SQL error is still a bug (500)."""
    return isinstance(error, OUTAGES) or (
        isinstance(error, DatabaseError) and "connect" in str(error).lower()
    )


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: 503 + Retry-After when the database is down, else Django's 500 page."""
    error = sys.exc_info()[1]
    if not is_outage(error):
        return django_server_error(request, template_name)
    log.error("database unreachable: %s", error)
    body = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
