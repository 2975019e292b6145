"""Test settings: the real ones (debug off, a throwaway secret), no TLS redirect, fast hashing."""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SCHEDULE_UID_DOMAIN", "schedule.test")

from schedule.project import settings as _base  # noqa: E402
from schedule.project.settings_services import caches_from_url  # noqa: E402

globals().update({name: value for name, value in vars(_base).items() if name.isupper()})

STORAGES = {
    **_base.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests use local memory; the benchmark may ask for a shared cache (BENCH_CACHE_URL).
_cache_url = os.environ.get("BENCH_CACHE_URL", "locmem://")
CACHES = caches_from_url(_cache_url, _base.CACHE_TIMEOUT_SECONDS)
# Serve static files from the source folders (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Browser tests hit the live server with parallel requests (pages, fetches, fonts). SQLite's
# shared-cache in-memory test database answers those with "table is locked"; a file waits.
if _base.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    _name = f"schedule-tests-{os.getpid()}.sqlite3"
    _base.DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), _name)}
