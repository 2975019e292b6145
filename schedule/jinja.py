"""Jinja2, registered in TEMPLATES, for the two pieces rendered by the hundred: a talk's
list row (_talk.jinja) and its grid card (_grid_card.jinja).

Their templates stay files a designer edits, but Jinja2 compiles them to Python
functions, several times faster than Django's engine for a day of 470 cards
(docs/speed.md). Every page is a Django template.
"""

from django.template import engines
from django.urls import reverse
from jinja2 import Environment


def url(name: str, *args) -> str:
    """{{ url('talks:detail', event_slug, talk_slug) }}: Django's {% url %} in Jinja2."""
    return reverse(name, args=args)


def environment(**options) -> Environment:
    """The Jinja2 backend's environment (settings.TEMPLATES): Django's options, and url()."""
    env = Environment(**options)
    env.globals["url"] = url
    return env


def template(name: str):
    """A Jinja2 partial, through Django's backend: `.render(context_dict)`."""
    return engines["jinja2"].get_template(name)
