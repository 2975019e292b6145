from django.db.backends.postgresql import base

from schedule.database import PausedAfterFailure


class DatabaseWrapper(PausedAfterFailure, base.DatabaseWrapper):
    pass
