"""Paths for links repeated once per talk on a page, without a reverse() per link.

`reverse()` resolves the URL pattern and checks every argument each time it is called: on
a day of 450 talks, with a link to each talk, speaker, room and devroom, that was a
fifth of the page. Here each route is reversed once (per script prefix) with stand-in
arguments, and later calls only fill the real ones in. The stand-ins match every
converter our routes use (slug, str), so the same checks ran once; arguments come from
our own slug fields. They are quoted as reverse() quotes them (a no-op for plain slugs).
"""

import contextlib
import contextvars
import functools
import re
from urllib.parse import quote

from django.urls import get_script_prefix, reverse

STAND_IN = "zq{}standinqz"
SPLIT = re.compile(r"zq(\d+)standinqz")
SUBDELIMS = "!$&'()*+,;="  # as django.urls.resolvers quotes
PLAIN = re.compile(r"[-A-Za-z0-9_.~]*\Z")
FIXED_PREFIX: contextvars.ContextVar[str | None] = contextvars.ContextVar("prefix", default=None)


@functools.lru_cache(maxsize=128)
def _parts(name: str, arity: int, prefix: str) -> tuple[list[str], list[int]]:
    """The route's fixed text around the stand-ins, and which argument goes where."""
    reversed_path = reverse(name, args=[STAND_IN.format(n) for n in range(arity)])
    pieces = SPLIT.split(reversed_path)
    return pieces[0::2], [int(index) for index in pieces[1::2]]


def path(name: str, *args) -> str:
    """reverse(name, args=args) for routes whose arguments are slugs."""
    prefix = FIXED_PREFIX.get()
    texts, order = _parts(name, len(args), get_script_prefix() if prefix is None else prefix)
    out = [texts[0]]
    for index, text in zip(order, texts[1:], strict=True):
        arg = str(args[index])
        out.append(arg if PLAIN.match(arg) else quote(arg, safe=SUBDELIMS + "/~:@"))
        out.append(text)
    return "".join(out)


@contextlib.contextmanager
def one_prefix():
    """Within it, path() reads the script prefix once: get_script_prefix() reads a
    thread- and task-local value (~10 µs), ten milliseconds over a thousand talks' links."""
    token = FIXED_PREFIX.set(get_script_prefix())
    try:
        yield
    finally:
        FIXED_PREFIX.reset(token)


def one_prefix_middleware(get_response):
    """Every path() of a request reads the script prefix once (Django sets it before the
    middleware runs): an event home or a day page builds a hundred links or more."""

    def middleware(request):
        with one_prefix():
            return get_response(request)

    return middleware
