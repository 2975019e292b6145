"""Helpers for tests that measure a page's cold build (no stored response)."""

from django.core.cache import cache

from schedule import caching


def forget_responses():
    """Empty every stored response (shared cache and this process's copies); the talks'
    stored pieces stay, as they do after an edit elsewhere in the event."""
    cache.clear()
    caching.forget_process_copies()
