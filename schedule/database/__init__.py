"""Django's own database backends, refusing new connections for a moment after one failed
(Django's documented way to change a backend's behaviour is to subclass it).

Against a database that accepts connections and never answers, each attempt holds a worker
for the connect timeout; after one failure (schedule.outage), this process fails the next
attempts at once for SCHEDULE_DATABASE_PAUSE_SECONDS. Requests the cache answers never
connect, so they are served as before.
"""

from django.db import OperationalError

from schedule.outage import database_down


class PausedAfterFailure:
    def get_new_connection(self, conn_params):
        if database_down():
            raise OperationalError("database unreachable a moment ago: not tried again yet")
        return super().get_new_connection(conn_params)
