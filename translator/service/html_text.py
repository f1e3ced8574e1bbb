"""``format=html``: the text between tags is translated, the markup is kept byte for byte.

Each run of text between two tags is translated on its own (entities decoded for the engine and
encoded again after); text inside ``script``, ``style``, ``code``, ``pre`` and ``textarea`` is
kept as it is."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..segmentation import has_letters

_TAG = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?.*?\?>"
    r"|</?[A-Za-z][^\s/>]*(?:\s+[^\s/>\"'=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*\s*/?>",
    re.S)
_NAME = re.compile(r"</?([A-Za-z][^\s/>]*)")
KEPT = frozenset({"script", "style", "code", "pre", "textarea"})


@dataclass
class HtmlParts:
    """The pieces of an HTML text; ``texts[i]`` is the decoded text of ``parts[slots[i]]``."""

    parts: list[str]
    slots: list[int]
    texts: list[str]

    def rebuild(self, translations: list[str]) -> str:
        parts = list(self.parts)
        for slot, text, translated in zip(self.slots, self.texts, translations):
            lead = text[:len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()):]
            parts[slot] = lead + html.escape(translated.strip(), quote=False) + trail
        return "".join(parts)


def split_html(source: str) -> HtmlParts:
    """Cut *source* into tags and text runs; the runs with letters outside kept elements are to translate."""
    parts: list[str] = []
    slots: list[int] = []
    texts: list[str] = []
    kept: list[str] = []  # open kept elements
    position = 0
    for match in _TAG.finditer(source):
        _text(source[position:match.start()], parts, slots, texts, kept)
        tag = match.group()
        parts.append(tag)
        _track(tag, kept)
        position = match.end()
    _text(source[position:], parts, slots, texts, kept)
    return HtmlParts(parts, slots, texts)


def _text(run: str, parts: list[str], slots: list[int], texts: list[str], kept: list[str]) -> None:
    if not run:
        return
    decoded = html.unescape(run)
    if not kept and has_letters(decoded):
        slots.append(len(parts))
        texts.append(decoded)
    parts.append(run)


def _track(tag: str, kept: list[str]) -> None:
    name = _NAME.match(tag)
    if name is None or tag.endswith("/>"):
        return
    word = name.group(1).lower()
    if word not in KEPT:
        return
    if tag.startswith("</"):
        if word in kept:
            del kept[len(kept) - 1 - kept[::-1].index(word):]
    else:
        kept.append(word)


def plain_text(source: str) -> str:
    """The text of *source* without its markup (for detecting its language)."""
    return " ".join(t.strip() for t in split_html(source).texts)
