"""Free-text search: every word must match (AND) a talk's text, speakers, devroom or room;
title matches rank first. Place names (tens per event) are folded in Python into id lists,
so each word costs one condition and the same SQL runs on SQLite and PostgreSQL."""

from django.db.models import Q, QuerySet

from schedule.models import Event
from talks.models import Speaker, TalkSpeaker
from talks.search_text import Term, fold, query_terms


def _place_ids(places, term: Term) -> list[int]:
    return [pk for pk, name in places if term.text in fold(name)]


def search_talks(queryset: QuerySet, event: Event, query: str) -> QuerySet:
    """The queryset narrowed to talks matching every word of the query (unchanged if empty),
    each word in at least one of a talk's fields."""
    terms = query_terms(query)
    if not terms:
        return queryset
    devrooms = list(event.devrooms.values_list("pk", "name"))
    rooms = list(event.rooms.values_list("pk", "name"))
    condition = Q()
    for term in terms:
        by_speaker = TalkSpeaker.objects.filter(
            talk__event=event, talk__is_draft=False, speaker__name_key__contains=term.name
        ).values("talk")
        condition &= (
            Q(search_text__contains=term.text)
            | Q(pk__in=by_speaker)
            | Q(devroom__in=_place_ids(devrooms, term))
            | Q(room__in=_place_ids(rooms, term))
        )
    return queryset.filter(condition)


def rank_by_title(talks: list, query: str) -> list:
    """Talks whose title holds every word first, then those whose title holds some, then the
    rest; stable, so time order is kept within each group."""
    terms = query_terms(query)
    if not terms:
        return talks

    def score(talk):
        title = fold(talk.title)
        hits = sum(term.text in title for term in terms)
        return 0 if hits == len(terms) else (1 if hits else 2)

    return sorted(talks, key=score)


def search_speakers(queryset: QuerySet, query: str) -> QuerySet:
    """Speakers whose name holds every word of the query, case- and accent-insensitively."""
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    return queryset.filter(*(Q(name_key__contains=term.name) for term in terms))


def event_speakers(event: Event) -> QuerySet:
    """The people who speak at an event, alphabetically (by folded name)."""
    return Speaker.objects.filter(
        pk__in=TalkSpeaker.objects.filter(talk__event=event, talk__is_draft=False).values("speaker")
    ).order_by("name_key", "pk")
