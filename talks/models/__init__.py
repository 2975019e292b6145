"""Speakers and talks: the programme content that points at schedule's rooms and devrooms."""

from talks.models.programme import (
    Talk,
    TalkLink,
    TalkQuerySet,
    TalkSpeaker,
    attach_places,
    free_talk_id,
    talk_uid,
)
from talks.models.speakers import (
    PersonId,
    Speaker,
    SpeakerLink,
    SpeakerQuerySet,
    SpeakerRedirect,
    free_speaker_slug,
)

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
