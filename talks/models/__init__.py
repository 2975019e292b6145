"""Speakers and talks: the programme content that points at schedule's rooms and devrooms."""

from talks.models.programme import Talk
from talks.models.speakers import (
    PersonId,
    Speaker,
    SpeakerLink,
    SpeakerQuerySet,
    SpeakerRedirect,
    free_speaker_slug,
)
from talks.models.talk_parts import TalkLink, TalkSpeaker
from talks.models.talk_queries import TalkQuerySet, attach_places, free_talk_id, talk_uid

__all__ = [
    "PersonId",
    "Speaker",
    "SpeakerLink",
    "SpeakerQuerySet",
    "SpeakerRedirect",
    "Talk",
    "TalkLink",
    "TalkQuerySet",
    "TalkSpeaker",
    "attach_places",
    "free_speaker_slug",
    "free_talk_id",
    "talk_uid",
]
