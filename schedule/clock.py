"""The one clock the public pages read, so tests can fix "now"."""

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()
