"""/healthz for load balancers: database and cache answer, SQLite has room to grow."""

import shutil
import time
from pathlib import Path

from django.conf import settings
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
    if connection.vendor == "sqlite":
        # SQLite writes next to its file: below SCHEDULE_MIN_FREE_MB free, edits will fail.
        folder = Path(str(connection.settings_dict["NAME"])).parent
        free_mb = shutil.disk_usage(folder if folder.exists() else ".").free // 2**20
        low = free_mb < settings.SCHEDULE_MIN_FREE_MB
        checks["disk"] = f"failing: {free_mb} MB free" if low else "ok"
    probe = f"healthz:{time.monotonic_ns()}"
    caching.cache_set(probe, 1, 5)
    checks["cache"] = "ok" if caching.cache_get(probe) == 1 else "failing"
    status = "ok" if all(value == "ok" for value in checks.values()) else "failing"
    return JsonResponse(checks | {"status": status}, status=200 if status == "ok" else 503)
