"""Removes personal agendas that nobody opened for a year (SCHEDULE_AGENDA_KEEP_DAYS)."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from schedule.live.models import Agenda


class Command(BaseCommand):
    help = "Delete personal agendas not opened for --days days (default: a year)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.SCHEDULE_AGENDA_KEEP_DAYS)
        parser.add_argument("--dry-run", action="store_true", help="Only count them.")

    def handle(self, *args, days, dry_run, **options):
        cutoff = timezone.localdate() - dt.timedelta(days=days)
        stale = Agenda.objects.filter(last_opened__lt=cutoff)
        count = stale.count()
        if not dry_run:
            stale.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} agenda(s) not opened since {cutoff}.")
