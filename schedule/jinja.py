"""Jinja2, registered in TEMPLATES, for the partials rendered by the hundred (list rows,
grid cards, time slots, filter boxes).

Their templates stay files a designer edits, but Jinja2 compiles them to Python
functions: about 20 µs a card, where Django's engine took 150-180 µs, which on a day of
470 talks is most of a from-scratch grid. Pages stay Django templates.
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
