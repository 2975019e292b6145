"""What an import did (rows created, values overwritten, credits and links replaced, talks
deleted), logged as it happens to revert it. Rules: docs/importing.md#history-and-revert"""

import json
from collections import defaultdict

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder

from talks.models import Speaker, Talk, TalkLink, TalkSpeaker


def as_json(value):
    """A value as the import history stores it (datetimes as ISO text, UUIDs as text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def stamps(model, pks) -> dict:
    """The rows' `updated` times by pk, as stored (a later edit moves them)."""
    return as_json(dict(model.objects.filter(pk__in=pks).values_list("pk", "updated")))


class UndoLog:
    def __init__(self):
        self.created_rows: dict[str, list[int]] = defaultdict(list)
        self.before: dict[str, dict[int, dict]] = defaultdict(dict)
        self.replaced: dict[str, dict[int, list]] = {"credits": {}, "links": {}}
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

    def replacing(self, what: str, talk, rows: list) -> None:
        """A talk's "credits" (speaker id, credited as, person number) or "links" (kind,
        title, url, attachment) before the import replaced them (the first call wins)."""
        if talk.pk not in self.created_rows["talks"]:
            self.replaced[what].setdefault(talk.pk, rows)

    def deleting(self, talks) -> None:
        """Talks about to be deleted (--replace), with their speakers and links."""
        rows = [
            *talks,
            *TalkSpeaker.objects.filter(talk__in=talks),
            *TalkLink.objects.filter(talk__in=talks),
        ]
        self.deleted = as_json(serializers.serialize("python", rows))

    def as_data(self) -> dict:
        talk_ids = {*self.created_rows["talks"], *self.before["talks"]}
        talk_ids |= {*self.replaced["credits"], *self.replaced["links"]}
        speaker_ids = {*self.created_rows["speakers"], *self.before["speakers"]}
        return {
            "event_created": self.event_created,
            "created": dict(self.created_rows),
            "before": {table: rows for table, rows in self.before.items() if rows},
            **self.replaced,  # "credits" and "links"
            "deleted": self.deleted,
            # What the rows were when the import finished: a later edit moves these.
            "after": {"talks": stamps(Talk, talk_ids), "speakers": stamps(Speaker, speaker_ids)},
        }
