"""/healthz for load balancers: the database and the cache answer. Cheap, never cached."""

import time

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from schedule import caching


@never_cache
def healthz(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 (report, do not raise)
        checks["database"] = f"failing: {type(error).__name__}"
    probe = f"healthz:{time.monotonic_ns()}"
    caching.cache_set(probe, 1, 5)
    checks["cache"] = "ok" if caching.cache_get(probe) == 1 else "failing"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        checks | {"status": "ok" if healthy else "failing"}, status=200 if healthy else 503
    )
