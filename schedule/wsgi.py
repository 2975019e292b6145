"""WSGI entry point (gunicorn schedule.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schedule.settings")

application = get_wsgi_application()
