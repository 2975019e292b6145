"""Django's database backends, subclassed (Django's documented way) to fail new connections
at once for SCHEDULE_DATABASE_PAUSE_SECONDS after one failed (schedule.outage): against a
database that accepts connections and never answers, each attempt would hold a worker for
the connect timeout. Requests the cache answers never connect."""

from django.db import OperationalError

from schedule.outage import database_down


class PausedAfterFailure:
    def get_new_connection(self, conn_params):
        if database_down():
            raise OperationalError("database unreachable a moment ago: not tried again yet")
        return super().get_new_connection(conn_params)
