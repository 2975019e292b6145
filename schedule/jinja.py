"""Jinja2 for the pieces rendered by the hundred (the day grid's cards).

Their templates stay files a designer edits, but Jinja2 compiles them to Python
functions: about 20 µs a card, where Django's engine took 150-180 µs, which on a day of
470 talks is most of a from-scratch grid. Pages stay Django templates.
"""

import functools

from django.conf import settings
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from schedule.paths import path


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(settings.BASE_DIR / "templates"),
        autoescape=True,  # like Django's: every value escaped unless marked safe
        undefined=StrictUndefined,  # a misspelt name fails loudly, not as an empty string
        auto_reload=settings.DEBUG,
        keep_trailing_newline=True,  # the same bytes as the Django template wrote
    )
    env.globals["path"] = path  # the {% path %} of Django templates
    return env


def template(name: str):
    return environment().get_template(name)
