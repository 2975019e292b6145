"""Speakers and talks: the programme content that points at schedule's rooms and devrooms."""

from talks.models.programme import Talk
from talks.models.speakers import PersonId, Speaker, SpeakerLink, SpeakerRedirect
from talks.models.talk_parts import TalkLink, TalkSpeaker

__all__ = [
    "PersonId",
    "Speaker",
    "SpeakerLink",
    "SpeakerRedirect",
    "Talk",
    "TalkLink",
    "TalkSpeaker",
]
