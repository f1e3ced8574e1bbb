"""Bilingual review and interchange formats written from a translated :class:`Document`.

Each format is a function ``(document, targets) -> str``.  *Combined* formats hold
every target in one file (HTML, Markdown, TMX); the others are written once per
target (XLIFF, PO).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..document import Document


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str  # file name ending: ".review.html", ".xlf"
    per_target: bool
    write: Callable[[Document, list[str]], str]


def _html(doc, targets):
    from .html import write_html

    return write_html(doc, targets)


def _markdown(doc, targets):
    from .review import write_markdown

    return write_markdown(doc, targets)


def _tmx(doc, targets):
    from .exchange import write_tmx

    return write_tmx(doc, targets)


def _xliff(doc, targets):
    from .exchange import write_xliff

    return write_xliff(doc, targets[0])


def _po(doc, targets):
    from .exchange import write_po

    return write_po(doc, targets[0])


FORMATS: dict[str, Format] = {
    "html": Format("html", ".review.html", False, _html),
    "markdown": Format("markdown", ".review.md", False, _markdown),
    "tmx": Format("tmx", ".tmx", False, _tmx),
    "xliff": Format("xliff", ".xlf", True, _xliff),
    "po": Format("po", ".po", True, _po),
}
