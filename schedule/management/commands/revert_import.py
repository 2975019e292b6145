from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from schedule.interchange.revert import RevertRefused, last_import, revert_import
from schedule.models import Event


class Command(BaseCommand):
    help = "Revert the last import of an event: its programme returns to what it was before."

    def add_arguments(self, parser):
        parser.add_argument("event", help="Slug of the event")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be reverted, change nothing"
        )

    def handle(self, event, dry_run, **options):
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event “{event}”.")
        run = last_import(found)
        if run is None:
            raise CommandError(f"{found} has no import to revert.")
        try:
            with transaction.atomic():
                done = revert_import(run)
                if dry_run:
                    transaction.set_rollback(True)
        except RevertRefused as error:
            raise CommandError(f"{error} Nothing was reverted.") from None
        verb = "Would revert" if dry_run else "Reverted"
        self.stdout.write(f"{verb} {run} of {found.slug}: " + "; ".join(done) + ".")
