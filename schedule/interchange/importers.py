"""Import a frab/Pentabarf schedule.xml/.json: read, match, apply, report, in one
transaction, recorded so it can be reverted. Rules: docs/importing.md"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from schedule import locks, markers
from schedule.interchange.apply import Importer
from schedule.interchange.frab_reader import read_schedule
from schedule.interchange.models import ImportRun
from schedule.interchange.report import ImportRefused, ImportReport
from schedule.models import validate_event_slug


def import_file(path: str | Path, **options) -> ImportReport:
    path = Path(path)
    limit = settings.SCHEDULE_IMPORT_MAX_BYTES
    if path.stat().st_size > limit:
        raise ImportRefused(
            f"{path.name} is {path.stat().st_size:,} bytes; the limit is "
            f"{limit:,} (SCHEDULE_IMPORT_MAX_BYTES)."
        )
    options.setdefault("file_name", path.name)
    return import_bytes(path.read_bytes(), **options)


def import_bytes(
    data: bytes,
    *,
    event_slug: str | None = None,
    series: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
    strict: bool = False,
    prefer_file: bool = False,
    progress=None,
    file_name: str = "",
    user=None,
) -> ImportReport:
    """Parse then apply in one transaction; dry runs roll back and report what would change."""
    if len(data) > settings.SCHEDULE_IMPORT_MAX_BYTES:
        raise ImportRefused(
            f"The file is {len(data):,} bytes; the limit is {settings.SCHEDULE_IMPORT_MAX_BYTES:,}."
        )
    if event_slug is not None:
        try:
            validate_event_slug(event_slug)
        except ValidationError as error:
            raise ImportRefused(" ".join(error.messages)) from None
    document = read_schedule(data, default_timezone=settings.SCHEDULE_DEFAULT_TIMEZONE)
    persons = sum(len(talk.persons) for talk in document.talks)
    for count, setting, what in (
        (len(document.talks), "SCHEDULE_IMPORT_MAX_TALKS", "holds {:,} talks"),
        (persons, "SCHEDULE_IMPORT_MAX_PERSONS", "credits {:,} speakers"),
    ):
        limit = getattr(settings, setting)
        if count > limit:
            raise ImportRefused(
                f"The file {what.format(count)}; the limit is {limit:,} ({setting}). "
                "Nothing was imported."
            )

    def apply_document() -> ImportReport:
        """The import's one transaction (run again whole after a deadlock)."""
        report = ImportReport(dry_run=dry_run)
        report.repairs.update(document.repairs)
        report.notes.extend(document.notes)
        with transaction.atomic():
            if connection.vendor == "postgresql":  # a big file may take longer than a page
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = 0")
            with markers.batched():
                importer = Importer(
                    document, report, replace=replace, progress=progress, prefer_file=prefer_file
                )
                importer.run(event_slug, (series or "").strip() or None)
            if strict and report.repairs:
                kinds = "; ".join(f"{n} × {kind}" for kind, n in sorted(report.repairs.items()))
                raise ImportRefused(f"--strict: the file needed repairs ({kinds}).")
            if dry_run:
                transaction.set_rollback(True)
            else:
                report.run = ImportRun.objects.create(
                    event=report.event,
                    user=user,
                    file_name=file_name[:255],
                    file_sha256=hashlib.sha256(data).hexdigest(),
                    source_version=document.version[:200],
                    summary="\n".join(report.lines(full=True)),
                    undo=importer.undo.as_data(),
                )
        return report

    report = locks.retried_once_on_deadlock(apply_document)
    if not dry_run and connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics for the planner
            cursor.execute("ANALYZE")
    return report
