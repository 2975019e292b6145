"""Jinja2 for the partials rendered by the hundred; every page is still a Django template."""

from django.template import engines
from django.urls import reverse
from jinja2 import Environment


def environment(**options) -> Environment:
    """The Jinja2 backend's environment, with {% url %} as {{ url('talks:detail', *args) }}."""
    env = Environment(**options)
    env.globals["url"] = lambda name, *args: reverse(name, args=args)
    return env


def template(name: str):
    """A Jinja2 partial, through Django's backend: `.render(context_dict)`."""
    return engines["jinja2"].get_template(name)
