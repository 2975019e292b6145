"""Free-text hygiene shared by readers and writers of schedule files and calendars."""

import re
import threading
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
import nh3

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINK_SCHEMES = ("http", "https", "mailto")


def safe_url(value: str | None) -> str:
    """The URL if http, https or mailto, else "": never a `javascript:` or `data:` link."""
    url = (value or "").strip()
    return url if urlsplit(url).scheme in LINK_SCHEMES else ""


# Inline, block, list and table markup: no images, scripts, styles or forms.
ALLOWED_TAGS = {"a", "abbr", "b", "br", "code", "del", "em", "i", "strong", "sub", "sup"}
ALLOWED_TAGS |= {"blockquote", "h3", "h4", "h5", "h6", "hr", "p", "pre"}
ALLOWED_TAGS |= {"dd", "dl", "dt", "li", "ol", "ul", "table", "tbody", "td", "th", "thead", "tr"}


def sanitised_html(html: str, link_rel: str | None = "noopener noreferrer nofollow") -> str:
    """HTML with only ALLOWED_TAGS: no scripts, styles, handlers or unsafe links."""
    return nh3.clean(html, tags=ALLOWED_TAGS, link_rel=link_rel, url_schemes=set(LINK_SCHEMES))


HTML_TAG = re.compile(r"<[A-Za-z/!?]")


def exported_markup(value: str | None) -> str:
    """Free text for schedule.xml/.json, sanitised when it holds HTML tags (apps render it)."""
    text = clean_text(value)
    return sanitised_html(text, link_rel=None) if HTML_TAG.search(text) else text


def clean_text(value: str | None) -> str:
    """Control characters make XML invalid; strip them from all free text."""
    return CONTROL_CHARACTERS.sub("", value or "")


BLOCKS = {"p", "div", "ul", "ol", "pre", "blockquote", "table", "tr", "h1", "h2", "h3", "h4"}
BLOCKS |= {"h5", "h6", "hr", "dl"}
OPENING = dict.fromkeys(BLOCKS, "\n\n") | {"br": "\n", "li": "\n- ", "td": " ", "th": " "}


class _TextWriter(HTMLParser):
    """HTML -> plain text: paragraphs as blank lines, list items as "- ", links as URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str | None, int]] = []  # (safe href, where its label starts)
        self.skipping = 0
        self.in_pre = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag in OPENING:
            self.in_pre += tag == "pre"
            self.parts.append(OPENING[tag])
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            safe = href if urlsplit(href).scheme in LINK_SCHEMES else None
            self.links.append((safe, len(self.parts)))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.in_pre -= tag == "pre" and self.in_pre > 0
            self.parts.append("\n\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.parts[start:]).strip()
            if href and href.removeprefix("mailto:") != label:
                self.parts.append(f" <{href}>" if label else href)

    def handle_data(self, data):
        if not self.skipping:
            # Line breaks in HTML source are spaces, except in preformatted text.
            self.parts.append(data if self.in_pre else data.replace("\n", " "))

    def text(self) -> str:
        raw = "".join(self.parts)
        lines = [line.strip() for line in raw.replace("\r", "").split("\n")]
        lines = [line if self.in_pre else re.sub(r"[ \t]+", " ", line) for line in lines]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# One Markdown per thread, reset between texts: building one costs more than an abstract.
_renderers = threading.local()


def markdown_to_text(text: str) -> str:
    """An abstract as plain text for calendars: Markdown rendered, tags dropped, links kept."""
    if not hasattr(_renderers, "markdown"):
        _renderers.markdown = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    writer = _TextWriter()
    writer.feed(_renderers.markdown.reset().convert(text or ""))
    writer.close()
    return clean_text(writer.text())
