"""Template helpers: sanitised Markdown, feed links, query strings, Jinja2 partials."""

import markdown as markdown_lib
from django import template
from django.http import QueryDict
from django.utils.safestring import mark_safe

from schedule.markdown_links import BareLinks
from schedule.pages.rows import render_rows
from schedule.text import safe_url, sanitised_html

register = template.Library()
register.filter("safe_url", safe_url)  # a stored URL fit to be a link, else ""


@register.filter
def markdown(text: str) -> str:
    """Markdown (which may embed HTML) rendered and then sanitised: no scripts, no styles."""
    html = markdown_lib.markdown(
        text or "", extensions=["sane_lists", BareLinks()], output_format="html"
    )
    return mark_safe(sanitised_html(html))  # noqa: S308 (sanitised by nh3)


@register.inclusion_tag("schedule/_subscribe.html", takes_context=True)
def subscribe(context, path: str, label: str = "this list"):
    """Subscribe (webcal://), copyable https URL and download links for a calendar feed."""
    url = context["request"].build_absolute_uri(path)
    separator = "&" if "?" in url else "?"
    return {
        "https_url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1],
        "download_url": f"{path}{separator}download=1",
        "label": label,
    }


@register.simple_tag(takes_context=True)
def current_query(context) -> str:
    encoded = context["request"].GET.urlencode()
    return f"?{encoded}" if encoded else ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def filter_chips(context, talk_filter) -> list[tuple[str, str]]:
    """The active filters as removable chips: (text, query string without that value)."""
    return talk_filter.chips(context["request"].GET)


@register.simple_tag(takes_context=True)
def query_with(context, name: str, value: str | None = None) -> str:
    """The current query string with one parameter set (e.g. another day, same filters)."""
    params = QueryDict(mutable=True)
    params.update(context["request"].GET)  # a shallow copy: QueryDict.copy() is deep
    if value is None:
        params.pop(name, None)
    else:
        params[name] = value
    return f"?{params.urlencode()}"


@register.simple_tag(takes_context=True)
def query_without(context, name: str) -> str:
    """The current query string without one parameter (e.g. the day, same filters)."""
    return query_with(context, name)


@register.filter
def options(talk_filter, name: str) -> list[tuple[str, str, bool, str]]:
    """A checkbox filter's (value, label, chosen, id) boxes (TalkFilter.options)."""
    return talk_filter.options(name)


@register.simple_tag
def talk_row(talk, show_day=False, clashes=None, changed_guids=()) -> str:
    """{% talk_row talk show_day=True %}: one talk's row (schedule/pages/rows.py)."""
    (html,) = render_rows([talk], show_day=show_day, clashes=clashes, changed_guids=changed_guids)
    return mark_safe(html)  # noqa: S308 (escaped by Jinja2's autoescape)
