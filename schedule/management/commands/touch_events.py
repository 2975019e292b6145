"""After raw SQL or other tools wrote to the programme tables; ORM writes (and `loaddata`)
move the change markers themselves."""

from django.core.management.base import BaseCommand, CommandError

from schedule import markers
from schedule.models import Event


class Command(BaseCommand):
    help = "Move the change markers of events (all without a slug) after raw SQL writes."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG")

    def handle(self, *slugs, **options):
        events = Event.objects.all()
        if slugs:
            events = events.filter(slug__in=slugs)
            missing = set(slugs) - set(events.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No event with the slug {', '.join(sorted(missing))}.")
        ids = list(events.values_list("pk", flat=True))
        markers.move_events(ids)  # and the site's
        if not ids:
            markers.move_site()
        self.stdout.write(f"Moved the change markers of {len(ids)} event(s) and the site's.")
