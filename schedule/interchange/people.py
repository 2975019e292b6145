"""Import step: which speaker each person of a file is.
Rules: docs/importing.md#who-is-who-person-ids-are-hints-names-decide"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max

from schedule.interchange.documents import PersonDoc, ScheduleDoc
from schedule.interchange.report import IDS_KEPT_APART, ImportReport
from schedule.models import Event
from talks.identity import name_key, readable_slug, unique_slug
from talks.models import PersonId, Speaker, SpeakerRedirect, TalkSpeaker


def ref(speaker: Speaker) -> tuple:
    """What identifies a speaker during an import: its row, or the object not saved yet."""
    return ("row", speaker.pk) if speaker.pk else ("new", id(speaker))


@dataclass
class IdConflict:
    """A file's person id that an existing speaker holds under another name."""

    number: int
    name: str  # as the file writes it
    holder: Speaker  # who has the id already
    speaker: Speaker  # who the file's person became


class PeopleMatcher:
    def __init__(self, doc: ScheduleDoc, event: Event, report: ImportReport, undo):
        self.event, self.series, self.report, self.undo = event, event.series, report, undo
        persons = [person for talk in doc.talks for person in talk.persons]
        numbers = {p.number for p in persons if p.number}
        keys = {name_key(p.name) for p in persons}
        self.by_number: dict[int, list[Speaker]] = defaultdict(list)
        self.by_key: dict[str, list[Speaker]] = defaultdict(list)
        known: dict[int, Speaker] = {}
        for speaker in Speaker.objects.filter(name_key__in=keys).order_by("pk"):
            known[speaker.pk] = speaker
            self.by_key[speaker.name_key].append(speaker)
        held = PersonId.objects.filter(series=self.series, number__in=numbers).order_by("pk")
        self.ids_held = set()
        for pid in held.select_related("speaker"):
            speaker = known.setdefault(pid.speaker_id, pid.speaker)
            self.by_number[pid.number].append(speaker)
            self.ids_held.add((pid.number, ref(speaker)))
        # The latest edition each known speaker appears in, other than this one.
        self.latest_elsewhere = dict(
            TalkSpeaker.objects.filter(speaker_id__in=list(known))
            .exclude(talk__event=event)
            .values("speaker_id")
            .annotate(latest=Max("talk__event__start_date"))
            .values_list("speaker_id", "latest")
        )
        self.taken_slugs = set(Speaker.objects.values_list("slug", flat=True)) | set(
            SpeakerRedirect.objects.values_list("old_slug", flat=True)
        )
        self.in_file: dict[tuple[int | None, str], Speaker] = {}
        self.number_in_file: dict[tuple, int] = {}  # ref(speaker) -> the file's id for them
        self.new_speakers: list[Speaker] = []  # written in bulk by flush()
        self.new_ids: list[PersonId] = []
        self.conflicts: list[IdConflict] = []

    def speaker_for(self, person: PersonDoc, current: list[Speaker]) -> Speaker:
        """The speaker for this person; `current` are the talk's speakers before this import."""
        key, number = name_key(person.name), person.number
        speaker = self.in_file.get((number, key))
        if speaker is None:
            speaker = (
                self.by_id(person, key)
                or next((s for s in current if s.name_key == key and self.free(s, number)), None)
                or self.by_name(person, key)
                or self.create(person)
            )
            self.in_file[number, key] = speaker
            if number:
                self.number_in_file.setdefault(ref(speaker), number)
                if (number, ref(speaker)) not in self.ids_held:
                    self.ids_held.add((number, ref(speaker)))
                    self.new_ids.append(
                        PersonId(speaker=speaker, series=self.series, number=number)
                    )
            self.follow_spelling(speaker, person.name)
        if person.biography and not speaker.bio:
            speaker.bio = person.biography
            if speaker.pk:
                self.remember_before(speaker, bio="")
                speaker.save(update_fields=["bio", "updated"])
        return speaker

    def free(self, speaker: Speaker, number: int | None) -> bool:
        """Not already another id's person in this file (two ids are two people)."""
        other = self.number_in_file.get(ref(speaker))
        return other is None or other == number

    def by_id(self, person: PersonDoc, key: str) -> Speaker | None:
        if not person.number:
            return None
        holders = self.by_number.get(person.number, [])
        for speaker in holders:
            if speaker.name_key == key and self.free(speaker, person.number):
                return speaker
        if holders:
            found = self.by_name(person, key) or self.create(person)
            self.conflicts.append(IdConflict(person.number, person.name, holders[0], found))
            self.report.repairs[IDS_KEPT_APART] += 1
            return found
        return None

    def by_name(self, person: PersonDoc, key: str) -> Speaker | None:
        candidates = [s for s in self.by_key[key] if self.free(s, person.number)]
        if len(candidates) == 1:
            if candidates[0].pk:
                self.report.repairs["person linked to an existing speaker by name"] += 1
            return candidates[0]
        if candidates:
            slugs = ", ".join(s.slug for s in candidates[:5])
            self.report.repairs["person name matches several speakers, new speaker created"] += 1
            self.report.people.append(
                f"“{person.name}” matches {len(candidates)} speakers ({slugs}); a new speaker "
                "was created. Merge in the admin if it is one of them."
            )
        return None

    def create(self, person: PersonDoc) -> Speaker:
        """A new speaker, saved by flush() with the others."""
        slug = unique_slug(readable_slug(person.name), self.taken_slugs)
        self.taken_slugs.add(slug)
        speaker = Speaker(name=person.name[:200], slug=slug, name_key=name_key(person.name))
        self.by_key[speaker.name_key].append(speaker)
        self.new_speakers.append(speaker)
        self.report.created["speakers"] += 1
        return speaker

    def follow_spelling(self, speaker: Speaker, name: str) -> None:
        """The file's spelling (same name key), only from the speaker's newest edition."""
        name = name[:200]
        if not speaker.pk or name == speaker.name or name_key(name) != speaker.name_key:
            return
        latest = self.latest_elsewhere.get(speaker.pk)
        if latest is not None and latest > self.event.start_date:
            return
        self.remember_before(speaker)
        self.report.people.append(f"“{speaker.name}” ({speaker.slug}) is now spelled “{name}”.")
        speaker.name = name
        speaker.save(update_fields=["name", "updated"])
        self.report.updated["speakers"] += 1

    def remember_before(self, speaker: Speaker, **earlier) -> None:
        values = {"name": speaker.name, "bio": speaker.bio} | earlier
        self.undo.changed("speakers", speaker.pk, values)

    def flush(self) -> None:
        """Store the speakers and ids learnt in this import (a query or two each)."""
        for speaker in Speaker.objects.bulk_create(self.new_speakers, batch_size=500):
            self.undo.created("speakers", speaker.pk)
        for pid in PersonId.objects.bulk_create(self.new_ids, batch_size=500):
            self.undo.created("person_ids", pid.pk)
