from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from schedule import venue
from schedule.models import Event


class Command(BaseCommand):
    help = (
        "Fill rooms' building and floor from their names, by the event's building rules "
        "(or the built-in FOSDEM rules when it has none)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--event", dest="event_slug", required=True, help="Event slug")
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Also replace buildings that were typed by hand",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would change without saving"
        )

    def handle(self, event_slug, overwrite, dry_run, **options):
        event = Event.objects.filter(slug=event_slug).first()
        if event is None:
            raise CommandError(f"No event with the slug “{event_slug}”.")
        try:
            with transaction.atomic():
                changed = venue.apply_building_rules(event, overwrite=overwrite, dry_run=dry_run)
        except ValueError as error:
            raise CommandError(f"The event's building rules are not usable: {error}") from None
        for room in changed:
            floor = f", floor {room.floor}" if room.floor else ""
            self.stdout.write(f"{room.name}: building {room.building}{floor}")
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"{len(changed)} of {event.rooms.count()} rooms {verb}.")
