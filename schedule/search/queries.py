"""Free-text search by words. Every word of the query must match a whole word somewhere in
a talk: its title, subtitle or abstract, a speaker's name, its devroom or its room; the last
word typed also matches the start of a word once it has three letters (search as you type:
`kube` finds Kubernetes, `go` never "Gotchas"). Talks store their text folded
(talks.search_text), names are folded here alike, so SQLite and PostgreSQL agree.

Results rank as people look for them: devrooms and speakers whose names match are offered
before the talks; talks matched by whole words before those matched by a word's start, then
talks whose devroom or speaker matched, then title matches, then the rest (abstracts, rooms),
in time order within each group."""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q, QuerySet

from schedule.models import Devroom, Event, Room
from talks.models import Speaker, Talk, TalkSpeaker
from talks.search_text import Term, fold, query_terms


def holds(folded: str, term: Term) -> bool:
    """Whether folded text (words between single spaces) holds the term as a word, or as a
    word's start when the term may be a prefix."""
    padded = f" {folded} "
    return f" {term.text} " in padded or (term.prefix and f" {term.text}" in padded)


def holds_all(folded: str, terms: list[Term]) -> bool:
    return all(holds(folded, term) for term in terms)


def word_condition(field: str, term: Term) -> Q:
    """The database twin of `holds` on a folded text column (no padding stored)."""
    text = term.text
    if term.prefix:
        return Q(**{f"{field}__startswith": text}) | Q(**{f"{field}__contains": f" {text}"})
    return (
        Q(**{field: text})
        | Q(**{f"{field}__startswith": f"{text} "})
        | Q(**{f"{field}__contains": f" {text} "})
        | Q(**{f"{field}__endswith": f" {text}"})
    )


@dataclass(frozen=True)
class Names:
    """An event's devrooms (those with public talks), rooms and speakers as (pk, name, folded
    name): tens to a thousand short names, folded in Python as talks' texts are when stored."""

    devrooms: list[tuple[int, str, str]]
    rooms: list[tuple[int, str, str]]
    speakers: list[tuple[int, str, str]]

    @classmethod
    def of(cls, event: Event) -> "Names":
        def folded(rows):
            return [(pk, name, fold(name)) for pk, name in rows]

        public = Talk.objects.filter(event=event, is_draft=False)
        devrooms = Devroom.objects.filter(pk__in=public.values("devroom"))
        return cls(
            folded(devrooms.values_list("pk", "name")),
            folded(Room.objects.filter(event=event).values_list("pk", "name")),
            folded(event_speakers(event).values_list("pk", "name")),
        )

    @staticmethod
    def matching(rows, terms: list[Term]) -> list[int]:
        return [pk for pk, _name, folded in rows if holds_all(folded, terms)]


class Search:
    """One query against one event: its words, and the event's names folded once for the
    narrowing, the ranking and the offered devrooms and speakers of one request."""

    def __init__(self, event: Event, query: str):
        self.event = event
        self.terms = query_terms(query)
        self.phrase = fold(query)

    @cached_property
    def names(self) -> Names:
        return Names.of(self.event)

    def narrow(self, queryset: QuerySet) -> QuerySet:
        """The talks matching every word, each word in at least one of a talk's fields."""
        if not self.terms:
            return queryset
        condition = Q()
        for term in self.terms:
            speakers = Names.matching(self.names.speakers, [term])
            by_speaker = TalkSpeaker.objects.filter(speaker__in=speakers).values("talk")
            condition &= (
                word_condition("search_text", term)
                | Q(pk__in=by_speaker)
                | Q(devroom__in=Names.matching(self.names.devrooms, [term]))
                | Q(room__in=Names.matching(self.names.rooms, [term]))
            )
        return queryset.filter(condition)

    def rank(self, rows: list) -> list:
        """Talk rows (with `pk` and `title`) in search order, stable within a group: whole-word
        matches before word-start ones; then matched by devroom or a speaker's name, by
        title, by anything else (abstract, room)."""
        if not self.terms or not rows:
            return rows
        devrooms = {pk: folded for pk, _name, folded in self.names.devrooms}
        rooms = {pk: folded for pk, _name, folded in self.names.rooms}
        people = {pk: folded for pk, _name, folded in self.names.speakers}
        pks = [row.pk for row in rows]
        texts = Talk.objects.filter(pk__in=pks).values_list("pk", "devroom", "room", "search_text")
        found = {
            pk: ([devrooms.get(devroom, "")], rooms.get(room, ""), text)
            for pk, devroom, room, text in texts
        }
        links = TalkSpeaker.objects.filter(talk__in=pks).values_list("talk", "speaker")
        for talk, speaker in links:
            found[talk][0].append(people.get(speaker, ""))
        whole_words = [Term(term.text, term.name) for term in self.terms]

        def key(row):
            names, room, text = found.get(row.pk, ([], "", ""))
            by_start_only = not holds_all(" ".join([text, room, *names]), whole_words)
            if any(holds_all(name, self.terms) for name in names):
                return (by_start_only, 0)
            return (by_start_only, 1 if holds_all(fold(row.title), self.terms) else 2)

        return sorted(rows, key=key)

    def devrooms(self) -> list[tuple[str, str]]:
        """(slug, name) of the devrooms whose name holds every word, the one named exactly
        first, then alphabetically."""
        folded = {pk: name for pk, _name, name in self.names.devrooms}
        pks = Names.matching(self.names.devrooms, self.terms) if self.terms else []
        rows = Devroom.objects.filter(pk__in=pks).values_list("pk", "slug", "name")
        ordered = sorted(rows, key=lambda row: (folded[row[0]] != self.phrase, folded[row[0]]))
        return [(slug, name) for _pk, slug, name in ordered]

    def speakers(self, limit: int) -> list[Speaker]:
        """The event's speakers whose name holds every word, the one named exactly first."""
        folded = {pk: name for pk, _name, name in self.names.speakers}
        pks = Names.matching(self.names.speakers, self.terms) if self.terms else []
        speakers = Speaker.objects.filter(pk__in=pks).only("name", "slug", "name_key")
        ordered = sorted(speakers, key=lambda s: (folded[s.pk] != self.phrase, s.name_key, s.pk))
        return ordered[:limit]


def search_speakers(queryset: QuerySet, query: str) -> QuerySet:
    """Speakers whose name holds every word of the query, case- and accent-insensitively
    (the speaker directory's narrowing, which the browser repeats as you type)."""
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    return queryset.filter(*(Q(name_key__contains=term.name) for term in terms))


def event_speakers(event: Event) -> QuerySet:
    """The people who speak at an event, alphabetically (by folded name)."""
    return Speaker.objects.filter(
        pk__in=TalkSpeaker.objects.filter(talk__event=event, talk__is_draft=False).values("speaker")
    ).order_by("name_key", "pk")
