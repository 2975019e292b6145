from django.db.backends.sqlite3 import base

from schedule.database import PausedAfterFailure


class DatabaseWrapper(PausedAfterFailure, base.DatabaseWrapper):
    pass
