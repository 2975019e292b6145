"""Jinja2 for the two partials rendered by the hundred (_talk.jinja, _grid_card.jinja):
several times faster than Django's engine for a day of 470 cards (docs/speed.md). Every
page is still a Django template."""

from django.template import engines
from django.urls import reverse
from jinja2 import Environment


def url(name: str, *args) -> str:
    """{{ url('talks:detail', event_slug, talk_slug) }}: Django's {% url %} in Jinja2."""
    return reverse(name, args=args)


def environment(**options) -> Environment:
    """The Jinja2 backend's environment (settings.TEMPLATES), with url()."""
    env = Environment(**options)
    env.globals["url"] = url
    return env


def template(name: str):
    """A Jinja2 partial, through Django's backend: `.render(context_dict)`."""
    return engines["jinja2"].get_template(name)
