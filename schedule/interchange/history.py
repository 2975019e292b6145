"""What an import did, logged as it happens so that it can be reverted: rows created, values
overwritten, credits and links replaced, talks deleted. Stored with the `updated` time of each
touched row: a later edit moves it, and the revert refuses."""

import hashlib
import json
from collections import defaultdict

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder

from schedule.interchange.models import ImportRun


def as_json(value):
    """A value as the import history stores it (datetimes as ISO text, UUIDs as text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class UndoLog:
    def __init__(self):
        self.created_rows: dict[str, list[int]] = defaultdict(list)
        self.before: dict[str, dict[int, dict]] = defaultdict(dict)
        self.credits_before: dict[int, list] = {}
        self.links_before: dict[int, list] = {}
        self.deleted: list = []
        self.event_created = False

    def created(self, table: str, pk: int) -> None:
        self.created_rows[table].append(pk)

    def changed(self, table: str, pk: int, values: dict) -> None:
        """Values a row had before the import changed them (the first call per field wins)."""
        if pk in self.created_rows.get(table, ()):
            return
        kept = self.before[table].setdefault(pk, {})
        for name, value in values.items():
            kept.setdefault(name, as_json(value))

    def credits(self, talk, rows: list) -> None:
        """The talk's (speaker id, credited as, person number) rows before the import."""
        if talk.pk not in self.credits_before and talk.pk not in self.created_rows["talks"]:
            self.credits_before[talk.pk] = rows

    def links(self, talk, rows: list) -> None:
        if talk.pk not in self.links_before and talk.pk not in self.created_rows["talks"]:
            self.links_before[talk.pk] = rows

    def deleting(self, talks) -> None:
        """Talks about to be deleted (--replace), with their speakers and links."""
        from talks.models import TalkLink, TalkSpeaker

        rows = [
            *talks,
            *TalkSpeaker.objects.filter(talk__in=talks),
            *TalkLink.objects.filter(talk__in=talks),
        ]
        self.deleted = as_json(serializers.serialize("python", rows))

    def touched_talks(self) -> set[int]:
        return (
            set(self.created_rows["talks"])
            | set(self.before["talks"])
            | set(self.credits_before)
            | set(self.links_before)
        )

    def as_data(self) -> dict:
        from talks.models import Speaker, Talk

        talk_ids = self.touched_talks()
        speaker_ids = set(self.created_rows["speakers"]) | set(self.before["speakers"])
        return {
            "event_created": self.event_created,
            "created": dict(self.created_rows),
            "before": {table: rows for table, rows in self.before.items() if rows},
            "credits": self.credits_before,
            "links": self.links_before,
            "deleted": self.deleted,
            # What the rows were when the import finished: a later edit moves these.
            "after": {
                "talks": as_json(
                    dict(Talk.objects.filter(pk__in=talk_ids).values_list("pk", "updated"))
                ),
                "speakers": as_json(
                    dict(Speaker.objects.filter(pk__in=speaker_ids).values_list("pk", "updated"))
                ),
            },
        }


def record(event, data: bytes, undo: UndoLog, report, *, file_name="", user=None, version=""):
    """Store the import in the event's history; returns the ImportRun."""
    return ImportRun.objects.create(
        event=event,
        user=user,
        file_name=file_name[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        source_version=version[:200],
        summary="\n".join(report.lines(full=True)),
        undo=undo.as_data(),
    )
