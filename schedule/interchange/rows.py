"""Import step: new rows, written in bulk once every talk is read (TalkQuerySet.bulk_create does
what Talk.save would); credits and links are replaced per table, moving the talk's `updated`."""

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
        credits = [(t.pk, [(s.pk, c, n) for s, c, n in rows]) for t, rows in self.rows["credits"]]
        store(credits, [(t.pk, rows) for t, rows in self.rows["links"]], self.replaced)
        return [talk.pk for talk in self.talks]


def store(credits, links, replaced: dict[str, set[int]]) -> None:
    """Write (talk id, rows) pairs of credits (speaker id, credited as, the file's person id)
    and links (kind, title, url, attachment), once the rows of the talks in replaced["credits"]
    and replaced["links"] are deleted; those talks' `updated` moves. A query or two each."""
    TalkSpeaker.objects.filter(talk_id__in=replaced["credits"]).delete()
    TalkSpeaker.objects.bulk_create(
        (
            TalkSpeaker(talk_id=t, speaker_id=s, credited_as=c, person_number=n, position=i)
            for t, rows in credits
            for i, (s, c, n) in enumerate(rows)
        ),
        batch_size=500,
    )
    TalkLink.objects.filter(talk_id__in=replaced["links"]).delete()
    TalkLink.objects.bulk_create(
        (
            TalkLink(talk_id=t, kind=k, title=title, url=u, attachment=a, position=i)
            for t, rows in links
            for i, (k, title, u, a) in enumerate(rows)
        ),
        batch_size=500,
    )
    if changed := replaced["credits"] | replaced["links"]:
        Talk.objects.filter(pk__in=changed).update(updated=timezone.now())
