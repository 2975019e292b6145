"""Import step: new rows, written in bulk once every talk is read (TalkQuerySet.bulk_create
does what Talk.save would). Credits and links are replaced per table in one delete and one
insert, and move the talk's `updated` (LAST-MODIFIED, pieces' stamp)."""

from django.utils import timezone

from talks.models import Talk, TalkLink, TalkSpeaker


class PendingRows:
    def __init__(self, event, undo):
        self.event, self.undo = event, undo
        self.talks: list[Talk] = []
        self.credits: list[tuple[Talk, list]] = []
        self.links: list[tuple[Talk, list]] = []
        self.replaced_credits: set[int] = set()
        self.replaced_links: set[int] = set()

    def add_talk(self, talk: Talk) -> None:
        self.talks.append(talk)

    def credit(self, talk: Talk, rows: list, before: list) -> None:
        """rows: (speaker, credited as, the file's person id); before: the talk's old rows."""
        if talk.pk:
            self.undo.credits(talk, before)
            self.replaced_credits.add(talk.pk)
        self.credits.append((talk, rows))

    def link(self, talk: Talk, rows: list, before: list) -> None:
        """rows: (kind, title, url, attachment)."""
        if talk.pk:
            self.undo.links(talk, before)
            self.replaced_links.add(talk.pk)
        self.links.append((talk, rows))

    def flush(self) -> list[int]:
        """Write everything (speakers are saved already); returns the new talks' ids."""
        Talk.objects.bulk_create(self.talks, batch_size=500)
        for talk in self.talks:
            self.undo.created("talks", talk.pk)
        TalkSpeaker.objects.filter(talk_id__in=self.replaced_credits).delete()
        TalkSpeaker.objects.bulk_create(
            (
                TalkSpeaker(
                    talk=talk,
                    speaker=speaker,
                    credited_as=name,
                    person_number=number,
                    position=position,
                )
                for talk, rows in self.credits
                for position, (speaker, name, number) in enumerate(rows)
            ),
            batch_size=500,
        )
        TalkLink.objects.filter(talk_id__in=self.replaced_links).delete()
        TalkLink.objects.bulk_create(
            (
                TalkLink(talk=talk, kind=k, title=t, url=u, attachment=a, position=position)
                for talk, rows in self.links
                for position, (k, t, u, a) in enumerate(rows)
            ),
            batch_size=500,
        )
        changed = self.replaced_credits | self.replaced_links
        if changed:
            Talk.objects.filter(pk__in=changed).update(updated=timezone.now())
        return [talk.pk for talk in self.talks]
