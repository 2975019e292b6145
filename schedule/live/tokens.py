"""Agenda tokens: 256 random bits (43 URL-safe base64 characters), stored only as a hash,
and kept out of the logs we write."""

import hashlib
import logging
import re
import secrets

TOKEN_PATTERN = r"[A-Za-z0-9_-]{43}"
_IN_TEXT = re.compile(r"(/agenda/)[A-Za-z0-9_-]{16,}")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mask(text: str) -> str:
    """`text` with every agenda token in a path replaced by <token>."""
    return _IN_TEXT.sub(r"\1<token>", text)


class MaskAgendaTokens(logging.Filter):
    """A logging filter for every handler: "Not Found: /fosdem/agenda/<token>/" instead of
    the token (Django logs the path of 4xx and 5xx responses)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        for name in ("request", "request_line"):  # django.server / django.request extras
            value = getattr(record, name, None)
            if isinstance(value, str):
                setattr(record, name, mask(value))
        return True
