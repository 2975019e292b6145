"""Bare web addresses in abstracts as links. Python-Markdown links only `<https://…>` and
`[text](https://…)`; schedules are full of plain "https://github.com/…". Done on the parsed
tree, so text inside links, code and preformatted blocks is left alone."""

import re
import xml.etree.ElementTree as ET

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# An http(s) address up to whitespace or markup, without trailing punctuation of the
# sentence around it ("see https://example.org.").
BARE_URL = re.compile(r"""https?://[^\s<>"'`]+[^\s<>"'`.,;:!?)\]]""")
UNTOUCHED = {"a", "code", "pre"}


def _linked(text: str) -> tuple[str, list[ET.Element]]:
    """(text before the first address, [a, …]): the addresses as <a> elements, the text
    between them in each element's tail."""
    parts = BARE_URL.split(text)
    if len(parts) == 1:
        return text, []
    links = []
    for url, tail in zip(BARE_URL.findall(text), parts[1:], strict=True):
        link = ET.Element("a", href=url)
        link.text, link.tail = url, tail
        links.append(link)
    return parts[0], links


class BareLinkProcessor(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        self._walk(root)

    def _walk(self, element: ET.Element) -> None:
        if element.tag in UNTOUCHED:
            return
        for child in list(element):
            self._walk(child)
            if child.tail:
                child.tail, links = _linked(child.tail)
                at = list(element).index(child) + 1
                element[at:at] = links
        if element.text:
            element.text, links = _linked(element.text)
            element[0:0] = links


class BareLinks(Extension):
    """`markdown.Markdown(extensions=[BareLinks()])`."""

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(BareLinkProcessor(md), "bare_links", 0)
