"""Django's database backends, failing new connections at once for a pause after one failed
(schedule.outage): against a database that never answers, each attempt would hold a worker."""

from django.db import OperationalError

from schedule.outage import database_down


class PausedAfterFailure:
    def get_new_connection(self, conn_params):
        if database_down():
            raise OperationalError("database unreachable a moment ago: not tried again yet")
        return super().get_new_connection(conn_params)
