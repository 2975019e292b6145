"""Import step: which speaker each person of a file is.

A speaker is a person, not a name. A person id from the file is remembered per series
(FOSDEM's ids are the same every year, while its base_url and acronym change), so the same
id next year is the same speaker and two ids in one file are always two speakers. Without a
known id, an exact name match (case- and accent-insensitive) links to an existing speaker
only when there is exactly one candidate; every such link, and every ambiguity, is listed in
the import summary. Names are stored as the file writes them.
"""

from collections import defaultdict

from schedule.interchange.documents import PersonDoc, ScheduleDoc
from schedule.interchange.report import ImportReport
from talks.identity import name_key, readable_slug, unique_slug
from talks.models import PersonId, Speaker, SpeakerRedirect


class PeopleMatcher:
    def __init__(self, doc: ScheduleDoc, series: str, report: ImportReport):
        self.series, self.report = series, report
        persons = [person for talk in doc.talks for person in talk.persons]
        numbers = {p.number for p in persons if p.number}
        keys = {name_key(p.name) for p in persons}
        self.by_number: dict[int, Speaker] = {
            pid.number: pid.speaker
            for pid in PersonId.objects.filter(series=series, number__in=numbers).select_related(
                "speaker"
            )
        }
        self.by_key: dict[str, list[Speaker]] = defaultdict(list)
        for speaker in Speaker.objects.filter(name_key__in=keys).order_by("pk"):
            self.by_key[speaker.name_key].append(speaker)
        self.with_series_id = set(
            PersonId.objects.filter(series=series, speaker__name_key__in=keys).values_list(
                "speaker_id", flat=True
            )
        )
        self.taken_slugs = set(Speaker.objects.values_list("slug", flat=True)) | set(
            SpeakerRedirect.objects.values_list("old_slug", flat=True)
        )
        self.in_file: dict[str, Speaker] = {}  # people without an id, by name key
        self.new_ids: list[PersonId] = []

    def speaker_for(self, person: PersonDoc, current: list[Speaker]) -> Speaker:
        """The speaker for this person; `current` are the talk's speakers before this import."""
        key = name_key(person.name)
        if person.number:
            speaker = self.by_number.get(person.number)
            if speaker is None:
                speaker = self.link_new_id(person, key) or self.create(person)
                self.remember(speaker, person.number)
            else:
                self.follow_spelling(speaker, person.name)
        else:
            speaker = (
                next((s for s in current if s.name_key == key), None)
                or self.in_file.get(key)
                or self.link_by_name(person, key)
                or self.create(person)
            )
            self.in_file[key] = speaker
        if person.biography and not speaker.bio:
            speaker.bio = person.biography
            speaker.save(update_fields=["bio", "updated"])
        return speaker

    def link_new_id(self, person: PersonDoc, key: str) -> Speaker | None:
        """An id not seen in this series yet: the one same-named speaker without an id here."""
        candidates = [s for s in self.by_key[key] if s.pk not in self.with_series_id]
        if len(candidates) == 1:
            speaker = candidates[0]
            self.report.people.append(
                f"“{person.name}” (id {person.number}) linked by name to the existing speaker "
                f"“{speaker.name}” ({speaker.slug})."
            )
            self.follow_spelling(speaker, person.name)
            return speaker
        if candidates:
            self.ambiguous(person, candidates)
        return None

    def link_by_name(self, person: PersonDoc, key: str) -> Speaker | None:
        candidates = self.by_key[key]
        if len(candidates) == 1:
            speaker = candidates[0]
            self.report.people.append(
                f"“{person.name}” (no id in the file) linked by name to the existing speaker "
                f"“{speaker.name}” ({speaker.slug})."
            )
            return speaker
        if candidates:
            self.ambiguous(person, candidates)
        return None

    def ambiguous(self, person: PersonDoc, candidates: list[Speaker]) -> None:
        slugs = ", ".join(s.slug for s in candidates)
        self.report.repairs["person name matches several speakers, new speaker created"] += 1
        self.report.people.append(
            f"“{person.name}” matches {len(candidates)} speakers ({slugs}); a new speaker was "
            "created. Merge in the admin if it is one of them."
        )

    def create(self, person: PersonDoc) -> Speaker:
        slug = unique_slug(readable_slug(person.name), self.taken_slugs)
        self.taken_slugs.add(slug)
        speaker = Speaker.objects.create(name=person.name[:200], slug=slug)
        self.by_key[speaker.name_key].append(speaker)
        self.report.created["speakers"] += 1
        return speaker

    def remember(self, speaker: Speaker, number: int) -> None:
        self.by_number[number] = speaker
        self.with_series_id.add(speaker.pk)
        self.new_ids.append(PersonId(speaker=speaker, series=self.series, number=number))

    def follow_spelling(self, speaker: Speaker, name: str) -> None:
        """Take the file's spelling of a known person, unless it only drops the accents of
        the stored one (an older file writing "Gabor" for "Gábor")."""
        name = name[:200]
        if name == speaker.name:
            return
        if name_key(name) == speaker.name_key and name.isascii() and not speaker.name.isascii():
            return
        self.report.people.append(f"“{speaker.name}” ({speaker.slug}) is now spelled “{name}”.")
        speaker.name = name
        speaker.save(update_fields=["name", "updated"])
        self.report.updated["speakers"] += 1

    def flush(self) -> None:
        """Store the ids learnt in this import (one query)."""
        PersonId.objects.bulk_create(self.new_ids)
        self.new_ids = []
