"""The article of a news page told apart from the site around it (menus, share buttons,
comment forms, "Les + lus", footers), so that only the article is translated.

A maintained main-content extractor (trafilatura) reads the page and gives the article's
blocks, title, author and images; the page's own units are then matched against them:
a unit is the article's when its text is one of the extracted blocks (or a long enough
part of the extracted text), when it is the title or the byline naming the author, or a
caption inside the article's container (the smallest element holding every matched
paragraph).  An attribute is the article's when its element stands inside an article
unit, or is an image the extractor kept or one inside the container.  The page's
``<title>`` and its description for search engines and social networks describe the
article: they count as the article too.  Everything else is kept as it is.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..errors import InputError

_LONG = 20  # a unit at least this long counts when found inside the extracted text
_CAPTIONS = frozenset({"figcaption", "caption"})
_IMAGES = frozenset({"img", "amp-img", "image"})


@dataclass
class Candidate:
    """A unit of the page, as the content filter sees it."""

    id: str
    text: str  # what a reader sees (markup removed)
    path: str  # its element's path: /html/body/main/article/p[2]
    tag: str  # its element's tag
    attribute: str = ""  # the attribute's name, for attribute units
    inside: str = ""  # the text unit whose span holds the attribute's element
    src: str = ""  # an image's src
    head: bool = False  # <title> or a <meta> description


@dataclass
class Extraction:
    """What a main-content extractor found in a page."""

    blocks: list[str]  # the article's blocks of text, in order
    title: str = ""
    authors: list[str] = field(default_factory=list)
    images: set[str] = field(default_factory=set)  # src and alt of the images kept


def normalized(text: str) -> str:
    return " ".join(html.unescape(text).split())


def extract(page: str, *, name: str) -> Extraction:
    """The article of *page* as trafilatura finds it (blocks, title, author, images)."""
    try:
        import trafilatura
        from lxml import etree
    except ImportError as exc:
        raise InputError(f"--content main cannot load trafilatura ({str(exc).splitlines()[0]}): "
                         "reinstall translator (pip install --force-reinstall translator), "
                         "or pass --content all", path=name) from None
    xml = trafilatura.extract(page, output_format="xml", include_comments=False, include_tables=True,
                              include_images=True, include_formatting=False, with_metadata=True, favor_precision=True)
    if not xml:
        return Extraction([])
    root = etree.fromstring(xml.encode("utf-8"))
    blocks = [normalized("".join(e.itertext())) for e in root.iter("p", "head", "item", "cell", "quote")]
    images = {v for g in root.iter("graphic") for v in (g.get("src"), normalized(g.get("alt") or "")) if v}
    authors = [normalized(a) for a in re.split(r"[;,]", root.get("author") or "") if len(a.split()) >= 2]
    return Extraction([b for b in blocks if b], normalized(root.get("title") or ""), authors, images)


def article_ids(candidates: list[Candidate], found: Extraction) -> set[str]:
    """The ids of the candidates that belong to the article."""
    blocks = set(found.blocks)
    joined = "\n".join(found.blocks)
    parts = _finder([b for b in blocks if len(b) >= _LONG])
    main = set()
    texts = [c for c in candidates if not c.attribute and not c.head]
    for c in texts:
        text = normalized(c.text)
        if (text in blocks or (len(text) >= _LONG and text in joined) or (found.title and text == found.title)
                or _byline(text, found.authors) or 2 * _covered(text, parts) >= len(text)):
            main.add(c.id)
    main |= _lead(texts, main, found.title)
    body = [c.path for c in texts if c.id in main and len(c.text) >= 2 * _LONG]
    container = _common(body)
    for c in candidates:
        inside = bool(container) and c.path.startswith(container + "/")
        if c.head:
            main.add(c.id)
        elif c.attribute:
            if c.inside in main or (c.tag in _IMAGES and (c.src in found.images or inside
                                                          or normalized(c.text) in found.images)):
                main.add(c.id)
        elif c.tag in _CAPTIONS and inside:
            main.add(c.id)
    return main


def _byline(text: str, authors: list[str]) -> bool:
    lower = text.lower()
    return len(text) < 120 and (any(a.lower() in lower for a in authors) or _BYLINE.match(text) is not None)


_BYLINE = re.compile(r"(?:Par|By|De notre (?:envoyée?|correspondante?)|Propos recueillis par) \w", re.I)


def _finder(blocks: list[str]):
    """An automaton finding the extracted blocks inside a unit's text (linear in the text)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for block in blocks:
        automaton.add_word(block, len(block))
    if blocks:
        automaton.make_automaton()
    return automaton if blocks else None


def _covered(text: str, finder) -> int:
    """How much of *text* extracted blocks cover (a unit holding an extracted paragraph
    with a few words more: a time stamp, a label the extractor left out)."""
    if finder is None or len(text) < _LONG:
        return 0
    return sum(length for _, length in finder.iter_long(text))


def _lead(texts: list[Candidate], main: set[str], title: str) -> set[str]:
    """The sentences between the article's title and its first paragraph (lead, byline):
    extractors often leave out a page's header block."""
    ids = [c.id for c in texts]
    titled = [i for i, c in enumerate(texts) if c.id in main and (c.tag == "h1" or normalized(c.text) == title)]
    body = [i for i, c in enumerate(texts) if c.id in main and len(c.text) >= 2 * _LONG and c.tag != "h1"]
    if not titled or not body or body[0] <= titled[0]:
        return set()
    return {ids[i] for i in range(titled[0] + 1, body[0])
            if len(texts[i].text) >= 2 * _LONG or _byline(texts[i].text, [])}


def _common(paths: list[str]) -> str:
    """The deepest element holding every path (``/html/body/main/article``), or ""."""
    if not paths:
        return ""
    parts = [p.split("/") for p in paths]
    common = []
    for level in zip(*parts):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    if len(paths) == 1:
        common = common[:-1]  # one paragraph: its parent holds the article
    return "/".join(common)


__all__ = ["Candidate", "Extraction", "article_ids", "extract", "normalized"]
