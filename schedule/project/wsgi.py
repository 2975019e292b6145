"""WSGI entry point (gunicorn schedule.project.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schedule.project.settings")
# Web requests get the database's statement and lock timeouts (settings); commands do not.
os.environ.setdefault("SCHEDULE_WEB_PROCESS", "1")

application = get_wsgi_application()
