"""Settings, read from environment variables with safe local defaults (README.md's table)."""

import os
import secrets
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from jinja2 import StrictUndefined

from schedule.project.settings_services import (
    caches_from_url,
    database_from_environment,
    env_flag,
    env_float,
    env_int,
    env_list,
)

BASE_DIR = Path(__file__).resolve().parents[2]

DEBUG = env_flag("DJANGO_DEBUG", False)

# Commands that never sign anything run without a secret (`makemigrations --check` in CI).
SECRETLESS_COMMANDS = {"makemigrations", "migrate", "showmigrations", "sqlmigrate", "collectstatic"}
_command = sys.argv[1] if Path(sys.argv[0]).name == "manage.py" and len(sys.argv) > 1 else ""
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and _command in SECRETLESS_COMMANDS:
    SECRET_KEY = secrets.token_urlsafe(50)  # used for nothing; a fresh one each run
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 (debug only)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Host name in calendar UIDs (talk-<id>@<domain>), the same whichever host a client uses.
SCHEDULE_UID_DOMAIN = os.environ.get("SCHEDULE_UID_DOMAIN", "schedule.invalid")
# Absolute base URL for links in exports when there is no request (e.g. https://fosdem.org).
SCHEDULE_BASE_URL = os.environ.get("SCHEDULE_BASE_URL", "").rstrip("/")
# An event spans at most this many days, so that a typo such as 2205 for 2025 is refused.
SCHEDULE_MAX_EVENT_DAYS = env_int("SCHEDULE_MAX_EVENT_DAYS", 14)
# More talks than this in one file is refused before anything is written (FOSDEM has ~1,000).
SCHEDULE_IMPORT_MAX_TALKS = env_int("SCHEDULE_IMPORT_MAX_TALKS", 10_000)
SCHEDULE_IMPORT_MAX_PERSONS = env_int("SCHEDULE_IMPORT_MAX_PERSONS", 30_000)
# Imports larger than these are refused before parsing. Admin uploads stop lower: bigger
# files go through `manage.py import_schedule`, which has no request timeout.
SCHEDULE_ADMIN_IMPORT_MAX_BYTES = env_int("SCHEDULE_ADMIN_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
SCHEDULE_IMPORT_MAX_BYTES = env_int("SCHEDULE_IMPORT_MAX_BYTES", 50 * 1024 * 1024)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "csp",
    "axes",
    "schedule",
    "schedule.releases",
    "schedule.live",
    "schedule.pieces",
    "schedule.interchange",
    "talks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "schedule.methods.PublicMethodsMiddleware",  # read-only public site: OPTIONS 204, others 405
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",  # django-csp: the policy below on every response
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

# Login protection (django-axes): AXES_FAILURE_LIMIT wrong passwords for one username from
# one address lock that pair (even the right password fails) for AXES_COOLOFF_TIME, or until
# unlocked (admin → Axes → Access attempts, or `manage.py axes_reset_username NAME`). Keyed on
# the pair so a stranger cannot lock an organiser out everywhere; a locked organiser can sign
# in from another network. The address is the rate limits' (SCHEDULE_TRUSTED_PROXIES).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_HOURS", 1)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "schedule.live.limits.client_address"
AXES_RESET_ON_SUCCESS = True

# Content-Security-Policy (django-csp) on every page: scripts and styles from our origin
# only, no inline scripts or handlers. Inline style="" stays allowed: the grid places cards
# and colours devrooms with it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "schedule.project.urls"
WSGI_APPLICATION = "schedule.project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "schedule.context.live",
                "schedule.context.page_url",
            ],
        },
    },
    {  # the partials rendered by the hundred (schedule/jinja.py), *.jinja in the same tree
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "schedule.jinja.environment",
            "undefined": StrictUndefined,  # a misspelt name fails loudly, not as ""
            "keep_trailing_newline": True,  # the same bytes a Django template wrote
        },
    },
]

DATABASES = {"default": database_from_environment(BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Redis that is paused or unreachable costs a request at most this long per operation
# (and, once it failed, nothing for the next 2 s: schedule.caching.access).
CACHE_TIMEOUT_SECONDS = env_float("CACHE_TIMEOUT_SECONDS", 0.5)
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
CACHES = caches_from_url(CACHE_URL, CACHE_TIMEOUT_SECONDS)
# After the database is found unreachable, requests needing it get the 503 at once for this
# long (per process; schedule.outage) instead of each waiting to connect.
SCHEDULE_DATABASE_PAUSE_SECONDS = env_float("SCHEDULE_DATABASE_PAUSE_SECONDS", 5)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Stored in UTC; pages show times in the event's own zone (Event.timezone), never the server's.
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    # runserver serves straight from the source folders; no collectstatic needed locally.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Security: strict by default when debug is off; each can be relaxed behind a TLS proxy.
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", False)
# Preloading is a one-way, whole-domain decision (DJANGO_HSTS_PRELOAD=1): no warning without it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_flag("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Agenda links are credentials: every line we log has their tokens masked.
    "filters": {
        "mask_tokens": {"()": "schedule.live.tokens.MaskAgendaTokens"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "null": {"class": "logging.NullHandler", "filters": ["mask_tokens"]},
        "console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", "mask_tokens"],
            "level": "ERROR",
        },
    },
    # Django's loggers get our handlers: its defaults would log request paths unmasked.
    "loggers": {
        "django": {
            "handlers": ["console", "mail_admins"],
            "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # A foreign Host (scanners) is a plain 400, not a logged traceback per request.
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# /healthz fails when the SQLite database's disk has less free space than this.
SCHEDULE_MIN_FREE_MB = env_int("SCHEDULE_MIN_FREE_MB", 200)
# Filtered variants of one page (?room=…&day=…) stored per schedule change; more are built
# and served without being stored, so made-up combinations cannot fill the cache.
SCHEDULE_STORED_VARIANTS_PER_PAGE = env_int("SCHEDULE_STORED_VARIANTS_PER_PAGE", 200)

# Imported schedules without a time_zone_name are read in this zone.
SCHEDULE_DEFAULT_TIMEZONE = os.environ.get("SCHEDULE_DEFAULT_TIMEZONE", "Europe/Brussels")

# The day itself (schedule.live): personal agendas, room status, displays.
# Requests per token per minute to one agenda (calendar apps poll every few minutes).
SCHEDULE_AGENDA_READS_PER_MINUTE = env_int("SCHEDULE_AGENDA_READS_PER_MINUTE", 60)
SCHEDULE_AGENDA_WRITES_PER_MINUTE = env_int("SCHEDULE_AGENDA_WRITES_PER_MINUTE", 60)
# Agenda creations (schedule/live/limits.py): per browser, with hourly per-address
# backstops sized for a venue's NAT (its Wi-Fi is a handful of addresses).
SCHEDULE_AGENDA_CREATIONS_PER_BROWSER = env_int("SCHEDULE_AGENDA_CREATIONS_PER_BROWSER", 10)
SCHEDULE_AGENDA_TOKENS_PER_HOUR = env_int("SCHEDULE_AGENDA_TOKENS_PER_HOUR", 5000)
SCHEDULE_AGENDA_CREATIONS_PER_HOUR = env_int("SCHEDULE_AGENDA_CREATIONS_PER_HOUR", 5000)
# How many reverse proxies append to X-Forwarded-For in front of the app (0: the client is
# REMOTE_ADDR); decides the address per-address limits and login lockouts use.
SCHEDULE_TRUSTED_PROXIES = env_int("SCHEDULE_TRUSTED_PROXIES", 0)
# Agendas nobody opened for this many days are removed by `manage.py prune_agendas`.
SCHEDULE_AGENDA_KEEP_DAYS = env_int("SCHEDULE_AGENDA_KEEP_DAYS", 365)
# "talk-end": a room marked full opens again when its current talk ends; "never".
SCHEDULE_ROOM_FULL_RESET = os.environ.get("SCHEDULE_ROOM_FULL_RESET", "talk-end")
# Full with no talk running or starting within the hour: open again after this long.
SCHEDULE_ROOM_FULL_FALLBACK_MINUTES = env_int("SCHEDULE_ROOM_FULL_FALLBACK_MINUTES", 60)
# How often pages poll /<event>/rooms/status.json for room states.
SCHEDULE_ROOM_STATUS_POLL_SECONDS = env_int("SCHEDULE_ROOM_STATUS_POLL_SECONDS", 30)
# How often the displays outside rooms fetch their data, and page through buildings.
SCHEDULE_DISPLAY_REFRESH_SECONDS = env_int("SCHEDULE_DISPLAY_REFRESH_SECONDS", 30)
SCHEDULE_DISPLAY_PAGE_SECONDS = env_int("SCHEDULE_DISPLAY_PAGE_SECONDS", 15)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
