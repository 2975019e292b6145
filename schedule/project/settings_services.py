"""Reading the environment: values, and the database and caches with the options we need."""

import os
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
REDIS = "django.core.cache.backends.redis.RedisCache"


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None or value == "" else value.strip().lower() in TRUE_VALUES


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_environment(base_dir) -> dict:
    """DATABASE_URL -> DATABASES entry; SQLite beside the code when unset."""
    database = dj_database_url.config(
        default=f"sqlite:///{base_dir / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    options = database.setdefault("OPTIONS", {})
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE: each transaction takes the write lock at BEGIN, so a clash check and the
        # save it guards cannot interleave with another writer (no double bookings); others
        # wait up to `timeout` s. WAL lets workers read during a write; synchronous=NORMAL
        # (SQLite's advice for WAL) cannot corrupt the database, but a power cut may lose the
        # last commits (SQLITE_SYNCHRONOUS=FULL prevents that).
        synchronous = os.environ.get("SQLITE_SYNCHRONOUS", "NORMAL").upper()
        if synchronous not in ("NORMAL", "FULL", "EXTRA"):
            raise ImproperlyConfigured("SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA.")
        options.update(transaction_mode="IMMEDIATE", timeout=20)
        options["init_command"] = f"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}"
    if database["ENGINE"] == "django.db.backends.postgresql":
        # A database that never answers must not hold a worker: connecting gives up after
        # DATABASE_CONNECT_TIMEOUT s (psycopg's minimum is 2), a statement after
        # DATABASE_STATEMENT_TIMEOUT, a save waiting on rows an import holds after
        # DATABASE_LOCK_TIMEOUT. The latter two apply to web processes only (wsgi.py), so
        # migrations and command-line imports may run longer.
        statement = env_int("DATABASE_STATEMENT_TIMEOUT", 30)
        lock = env_int("DATABASE_LOCK_TIMEOUT", 5)
        options["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 2)
        if os.environ.get("SCHEDULE_WEB_PROCESS"):  # set by wsgi.py: not for migrate or imports
            options["options"] = f"-c statement_timeout={statement}s -c lock_timeout={lock}s"
    # The same backends, pausing new connections after a failure (schedule.database).
    database["ENGINE"] = database["ENGINE"].replace("django.db.backends", "schedule.database")
    return database


def cache_from_url(url: str, timeout_seconds: float) -> dict:
    """CACHE_URL/REDIS_URL -> CACHES entry; local memory when unset."""
    if url.startswith(REDIS_SCHEMES):
        options = {"socket_connect_timeout": timeout_seconds, "socket_timeout": timeout_seconds}
        return {"BACKEND": REDIS, "LOCATION": url, "OPTIONS": options}
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if url in ("", "locmem://"):
        return {"BACKEND": LOCMEM}
    raise ImproperlyConfigured(
        f"Unsupported CACHE_URL {url!r}: use redis://, locmem:// or dummy://"
    )


def caches_from_url(url: str, timeout_seconds: float) -> dict:
    """CACHES: the pages', the talks' pieces, and each process's copies of the bodies it served."""
    return {
        "default": cache_from_url(url, timeout_seconds),
        "pieces": pieces_cache_from_url(url, timeout_seconds),
        "local": {"BACKEND": LOCMEM, "LOCATION": "local-bodies", "OPTIONS": {"MAX_ENTRIES": 100}},
    }


def pieces_cache_from_url(url: str, timeout_seconds: float) -> dict:
    """The `pieces` cache: PIECES_CACHE_URL if set; else the next Redis database (/0 -> /1), so
    flushing the pages' cache keeps the pieces, or a key prefix where there is none (/15,
    several servers, `?db=`); without Redis, each process's memory, sized for a few editions."""
    if os.environ.get("PIECES_CACHE_URL"):
        return cache_from_url(os.environ["PIECES_CACHE_URL"], timeout_seconds)
    if url.startswith(("redis://", "rediss://")):
        parts = urlsplit(url)
        database = parts.path.strip("/") or "0"
        single = not any(mark in url for mark in ",;") and "db=" not in parts.query
        if single and database.isdigit() and int(database) < 15:  # 16 databases by default
            next_one = urlunsplit(parts._replace(path=f"/{int(database) + 1}"))
            return cache_from_url(next_one, timeout_seconds)
    if url.startswith(REDIS_SCHEMES):
        return {**cache_from_url(url, timeout_seconds), "KEY_PREFIX": "pieces"}
    if url.startswith("dummy://"):
        return cache_from_url(url, timeout_seconds)
    options = {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 4}
    return {"BACKEND": LOCMEM, "LOCATION": "pieces", "OPTIONS": options}
