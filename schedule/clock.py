"""The one clock public pages read, so tests can fix "now" and DEBUG rehearse a day."""

import datetime as dt
import functools
import os

from django.conf import settings
from django.utils import timezone


@functools.cache
def rehearsal_offset() -> dt.timedelta:
    value = os.environ.get("SCHEDULE_REHEARSE_AT", "")
    if not value or not settings.DEBUG:
        return dt.timedelta(0)
    start = dt.datetime.fromisoformat(value)
    if start.tzinfo is None:
        raise ValueError("SCHEDULE_REHEARSE_AT needs a UTC offset, e.g. 2025-02-01T11:30+01:00")
    return start - timezone.now()


def now() -> dt.datetime:
    return timezone.now() + rehearsal_offset()
