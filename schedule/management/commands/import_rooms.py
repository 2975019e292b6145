from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schedule.models import Event
from schedule.venue_csv import OPTIONAL_COLUMNS, RoomsCsvError, import_rooms_csv


class Command(BaseCommand):
    help = (
        "Create or update an event's rooms from a CSV file with a header row: name (required) "
        f"and any of {', '.join(OPTIONAL_COLUMNS)}. One bad line changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file (UTF-8)")
        parser.add_argument("--event", dest="event_slug", required=True, help="Event slug")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report without saving"
        )

    def handle(self, file, event_slug, dry_run, **options):
        event = Event.objects.filter(slug=event_slug).first()
        if event is None:
            raise CommandError(f"No event with the slug “{event_slug}”.")
        try:
            result = import_rooms_csv(event, Path(file).read_bytes(), dry_run=dry_run)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text. Nothing was imported.") from None
        except RoomsCsvError as error:
            raise CommandError(f"{error}\nNothing was imported.") from None
        prefix = "Dry run, nothing saved: " if dry_run else ""
        self.stdout.write(f"{prefix}{result.summary()}")
        for label, names in (("created", result.created), ("updated", result.updated)):
            if names:
                self.stdout.write(f"  {label}: {', '.join(names)}")
