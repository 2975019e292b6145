"""The first visitors after an import or restart do not wait. Requests go in-process to the
canonical host, since the host is in the cache key."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.urls import reverse

from schedule.models import Event


def main_urls(event: Event) -> list[str]:
    names = ("schedule:event", "talks:event_speakers", "exports:ics", "exports:xml", "exports:json")
    urls = [reverse(name, args=[event.slug]) for name in names]
    index = reverse("schedule:index", args=[event.slug])
    for day in event.days:
        urls.append(f"{index}?day={day.isoformat()}")  # the day lists, where /schedule/ leads
        urls.append(reverse("schedule:grid", args=[event.slug, day.isoformat()]))
    return urls


def canonical_host() -> tuple[str, bool]:
    if settings.SCHEDULE_BASE_URL:
        parts = urlsplit(settings.SCHEDULE_BASE_URL)
        return parts.netloc, parts.scheme == "https"
    hosts = [h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
    if not hosts:
        raise CommandError("Set SCHEDULE_BASE_URL (or DJANGO_ALLOWED_HOSTS) to warm the cache.")
    return hosts[0], not settings.DEBUG


def warm(events, stdout=None) -> int:
    host, secure = canonical_host()
    client = Client(HTTP_HOST=host, HTTP_ACCEPT_ENCODING="gzip")
    built = 0
    for event in events:
        for url in main_urls(event):
            response = client.get(url, secure=secure)
            built += response.status_code == 200
            if stdout:
                stdout.write(f"{response.status_code} {url}")
    return built


class Command(BaseCommand):
    help = "Build the main pages and exports of each event into the response cache."

    def add_arguments(self, parser):
        parser.add_argument("--event", action="append", dest="events", help="Event slug")

    def handle(self, events, **options):
        chosen = Event.objects.all()
        if events:
            chosen = chosen.filter(slug__in=events)
        built = warm(chosen, self.stdout if options["verbosity"] > 1 else None)
        self.stdout.write(f"{built} bodies cached.")
