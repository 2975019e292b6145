import sys
from pathlib import Path

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from schedule.interchange.frab_reader import ScheduleFormatError
from schedule.interchange.importers import ImportRefused, import_file
from schedule.management.commands.warm_cache import warm as warm_cache

FLAGS = {  # in the order --help lists them
    "--strict": "Refuse the file if anything in it needed a repair or was skipped",
    "--warm": "Afterwards, build the event's main pages and exports into the cache",
    "--dry-run": "Report what would change without saving anything",
    "--replace": "Delete the event's talks that are not in the file",
    "--prefer-file": "Where an organiser edited a field the file also changed, take the file's "
    "value (default: keep the organiser's and list it)",
}


class Command(BaseCommand):
    help = "Import a frab/Pentabarf schedule.xml or frab schedule.json (format detected)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to schedule.xml or schedule.json")
        parser.add_argument(
            "--event",
            dest="event_slug",
            help="Slug of the event to create or update (default: from acronym)",
        )
        parser.add_argument(
            "--series",
            help="The conference series, whose person ids the file shares (default: from the "
            "site's host or the acronym without its year, e.g. fosdem)",
        )
        for flag, text in FLAGS.items():
            parser.add_argument(flag, action="store_true", help=text)
        parser.add_argument(
            "--user", help="Record the import in the event's admin history under this username"
        )

    def handle(self, file, event_slug, series, strict, dry_run, replace, warm, **options):
        username = options["user"]
        user = get_user_model().objects.filter(username=username).first() if username else None
        if username and user is None:
            raise CommandError(f"No user “{username}”; nothing was imported.")

        def progress(items):
            return tqdm(
                items,
                desc="talks",
                unit="talk",
                file=sys.stderr,
                disable=len(items) < 50 or options["verbosity"] == 0,
            )

        try:
            report = import_file(
                file,
                event_slug=event_slug,
                series=series,
                strict=strict,
                dry_run=dry_run,
                replace=replace,
                progress=progress,
                prefer_file=options["prefer_file"],
                user=user,
            )
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except (ScheduleFormatError, ImportRefused) as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        self.stdout.write("\n".join(report.lines()))
        if user is not None and not dry_run:
            summary = " ".join(report.lines()[:2])
            LogEntry.objects.log_actions(
                user.pk,
                [report.event],
                CHANGE,
                change_message=f"Imported {Path(file).name} (command): {summary}"[:1000],
                single_object=True,
            )
        if warm and not dry_run:
            self.stdout.write(f"{warm_cache([report.event])} bodies cached.")
