"""Import step: new rows, written in bulk once every talk is read (TalkQuerySet.bulk_create
does what Talk.save would). Credits and links are replaced per table in one delete and one
insert, and move the talk's `updated` (LAST-MODIFIED, pieces' stamp)."""

from django.utils import timezone

from talks.models import Talk, TalkLink, TalkSpeaker


class PendingRows:
    def __init__(self, undo):
        self.undo = undo
        self.talks: list[Talk] = []
        self.rows: dict[str, list[tuple[Talk, list]]] = {"credits": [], "links": []}
        self.replaced: dict[str, set[int]] = {"credits": set(), "links": set()}

    def replace(self, what: str, talk: Talk, rows: list, before: list) -> None:
        """The talk's "credits" (speaker, credited as, the file's person id) or "links" (kind,
        title, url, attachment) become rows; before: the talk's old rows."""
        if talk.pk:
            self.undo.replacing(what, talk, before)
            self.replaced[what].add(talk.pk)
        self.rows[what].append((talk, rows))

    def flush(self) -> list[int]:
        """Write everything (speakers are saved already); returns the new talks' ids."""
        Talk.objects.bulk_create(self.talks, batch_size=500)
        for talk in self.talks:
            self.undo.created("talks", talk.pk)
        TalkSpeaker.objects.filter(talk_id__in=self.replaced["credits"]).delete()
        TalkSpeaker.objects.bulk_create(
            (
                TalkSpeaker(talk=talk, speaker=s, credited_as=c, person_number=n, position=i)
                for talk, rows in self.rows["credits"]
                for i, (s, c, n) in enumerate(rows)
            ),
            batch_size=500,
        )
        TalkLink.objects.filter(talk_id__in=self.replaced["links"]).delete()
        TalkLink.objects.bulk_create(
            (
                TalkLink(talk=talk, kind=k, title=t, url=u, attachment=a, position=i)
                for talk, rows in self.rows["links"]
                for i, (k, t, u, a) in enumerate(rows)
            ),
            batch_size=500,
        )
        changed = self.replaced["credits"] | self.replaced["links"]
        if changed:
            Talk.objects.filter(pk__in=changed).update(updated=timezone.now())
        return [talk.pk for talk in self.talks]
