"""HTML pages and fragments, translated in place: every byte that is not translated text
stays as it was.

The page is split into tokens that are slices of the source (:mod:`.html_tokens`, the
standard library's tokenizer with source positions).  A unit is the text of a block
(paragraph, heading, list item, cell, caption...) with the inline elements inside it
(``<a>``, ``<em>``, ``<span>``...) as inline codes, so that a sentence is translated
whole through its links and the tags come back exactly (else run by run).  The
attributes people read (``alt``, ``title``, ``placeholder``, ``aria-label``, the labels
of submit buttons, the page's description for search engines and social networks) are
units of their own (a ``<textarea>``'s too: its text, the field's value, is kept).
``<script>``, ``<style>``, ``<pre>``, ``<code>``, ``<kbd>``, ``<samp>``, ``<var>``,
comments and elements marked ``translate="no"`` or ``class="notranslate"`` are never
touched.  ``<html lang>`` (and ``og:locale``, JSON-LD ``inLanguage``) name the target.
With ``--content main`` (the default for full pages) only the article is translated, the
site around it kept (:mod:`.html_content`).  A page is written back in its own encoding;
one that is ASCII and declares no charset stays ASCII (:func:`keeps_ascii`).
"""

from __future__ import annotations

import html as entities
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING

from ..errors import InputError, UsageError
from .base import CODE, TEXT, Options, Output, Structured, Unit
from .html_encode import edited_tag, encode_unit
from .html_tokens import EMPTY, OTHER, START, Token, tokenize
from .html_units import SPACES, Block, Edit, Run, Walker, unit_of
from .units import kept

if TYPE_CHECKING:
    from ..pipeline import Translator

def _source_text(unit: Unit) -> str:
    return "".join(s for _, s in unit.source_runs or unit.runs)



class Page:
    """An HTML document read into units: text blocks and readable attributes."""

    declared_source = None
    encoding: str | None = "utf-8"  # the file's encoding (None: a page held as text)
    bom = False
    #: the file is ASCII and declares no charset: written back in ASCII (:func:`keeps_ascii`)
    undeclared_ascii = False
    note = ""  # said in the summary

    def __init__(self, source: str, tokens: list[Token], *, name: str) -> None:
        self.source, self.tokens, self.name = source, tokens, name
        self.units: list[Unit] = []
        self.blocks: dict[str, Block] = {}
        self.edits: dict[int, list[Edit]] = {}  # token index -> changes to that start tag
        self.full = any(t.kind in (START, OTHER) and t.tag in ("html", "body", "!doctype") for t in tokens)
        self.nodes: dict[str, object] = {}  # unit id -> the element it belongs to (for the content filter)
        self.attribute_tokens: dict[str, int] = {}  # attribute unit id -> its tag's token
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.names: dict[str, tuple] = {}  # a unit's id while reading -> (its element, "/@alt" or "")
        Walker(self).walk()
        self._name_units()
        self._keep_site_name()
        self.sample = visible(self.units)

    def line(self, offset: int) -> int:
        """The 1-based line of *offset*."""
        import bisect

        return bisect.bisect_right(self.line_starts, offset)

    def _name_units(self) -> None:
        """Each unit named by its element's path (``/html/body/p[2]``, ``.../img/@alt``), a
        second unit of the same element with ``#2``."""
        final, seen = {}, {}
        for unit in self.units:
            node, suffix = self.names[unit.id]
            path = (node.path or "") + suffix or "/"
            seen[path] = seen.get(path, 0) + 1
            final[unit.id] = path if seen[path] == 1 else f"{path}#{seen[path]}"
            unit.id = final[unit.id]
        self.blocks = {final[k]: v for k, v in self.blocks.items()}
        self.nodes = {final[k]: v for k, v in self.nodes.items()}
        self.attribute_tokens = {final[k]: v for k, v in self.attribute_tokens.items()}
        for edits in self.edits.values():
            for edit in edits:
                edit.unit = final.get(edit.unit, edit.unit)

    def _keep_site_name(self) -> None:
        """The site's name (``og:site_name``) in the page's ``<title>`` is a name: kept as it is."""
        name = next((t.attribute("content") for t in self.tokens if t.kind in (START, EMPTY) and t.tag == "meta"
                     and (t.attribute("property") or "").lower() == "og:site_name"), None)
        title = next((u for u in self.units if self.nodes[u.id].tag == "title"), None)
        if not name or not name.strip() or title is None:
            return
        block, runs = self.blocks[title.id], []
        for run in self.blocks[title.id].runs:
            raw = self.source[run.start:run.end]
            at = raw.find(name) if run.kind == TEXT else -1
            if at < 0:
                runs.append(run)
                continue
            pieces = ((TEXT, run.start, run.start + at), (CODE, run.start + at, run.start + at + len(name)),
                      (TEXT, run.start + at + len(name), run.end))
            runs += [Run(kind, a, b, entities.unescape(self.source[a:b]) if kind == TEXT else "", role="whole")
                     for kind, a, b in pieces if b > a]
        if len(runs) != len(block.runs):
            block.runs = runs
            unit = unit_of(title.id, runs, self.source, kind=title.kind, line=title.line)
            unit.translate = any(ch.isalpha() for t in unit.texts for ch in t)  # the title is the name alone
            self.units[self.units.index(title)] = unit

    def candidates(self) -> list:
        """The units as the content filter sees them (:mod:`.html_content`)."""
        from .html_content import Candidate

        holder = {i: uid for uid, block in self.blocks.items() for i in block.tags}
        out = []
        for unit in self.units:
            node = self.nodes[unit.id]
            if unit.kind == "attribute":
                i = self.attribute_tokens[unit.id]
                out.append(Candidate(unit.id, unit.text, node.path, node.tag, attribute=unit.id.rsplit("@", 1)[1],
                                     inside=holder.get(i, ""), src=self.tokens[i].attribute("src") or "",
                                     head=node.tag == "meta"))
            else:
                block = self.blocks[unit.id]
                out.append(Candidate(unit.id, _visible(self.source[block.start:block.end]), node.path, node.tag,
                                     head=node.tag == "title"))
        return out

    def keep_chrome(self, article: set[str]) -> None:
        """Keep every unit outside *article* as it is, reported as boilerplate."""
        for unit in self.units:
            if unit.id not in article:
                unit.translate, unit.kind = False, "boilerplate"

    # -- the Parsed protocol
    verify = staticmethod(kept)  # every inline tag came back

    def check_targets(self, targets: list[str]) -> None:
        """Any target: the page is told its new language (``<html lang>``)."""

    def write(self, target: str, texts: dict[str, str], rebuilt: set[str],
              failed: list[tuple[Unit, str]]) -> Output:
        text = self.rebuild(target, texts)
        translated = sum(1 for u in self.units if u.translate and texts[u.id] != _source_text(u))
        kept = sum(1 for u in self.units if not u.translate)
        summary = f"{target}: {translated} of {len(self.units)} texts translated" + (
            f", {kept} kept as site chrome" if kept else "") + (f" ({self.note})" if self.note else "")
        data: str | bytes = text
        if self.encoding is not None:  # a file: its own encoding, so that its <meta charset> stays true
            if self.undeclared_ascii:
                text = as_references(text, named=_writes_names(self.source))
            data = (("\ufeff" if self.bom else "") + text).encode(self.encoding, errors="xmlcharrefreplace")
        return Output(target, data, f".{target}{PurePath(self.name).suffix or '.html'}", summary)

    def rebuild(self, target: str, texts: dict[str, str]) -> str:
        """The page with each unit's text from *texts* and the tags' edits for *target*."""
        by_id = {u.id: u for u in self.units}
        tags = {i: edited_tag(self.source[self.tokens[i].start:self.tokens[i].end], self.edits[i], target, texts)
                for i in self.edits}
        changes = []  # (start, end, new text)
        inside = set()
        for uid, block in self.blocks.items():
            unit = by_id[uid]
            if texts[uid] in (unit.text, _source_text(unit)):
                continue
            inside.update(block.tags)
            codes = {self.source[self.tokens[i].start:self.tokens[i].end]: tags[i] for i in block.tags if i in tags}
            changes.append((block.start, block.end, encode_unit(unit, texts[uid], block, self.source, codes)))
        for i, new in tags.items():
            if i not in inside and new is not None:
                changes.append((self.tokens[i].start, self.tokens[i].end, new))
        out, at = [], 0
        for start, end, new in sorted(changes):
            out += [self.source[at:start], new]
            at = end
        out.append(self.source[at:])
        return "".join(out)

def _visible(raw: str) -> str:
    """The text of a unit's source as a reader sees it (inline tags do not separate words)."""
    return " ".join(entities.unescape(re.sub(r"<[^>]*>", "", re.sub(r"<br\b[^>]*>", " ", raw, flags=re.I))).split())


def visible(units: list[Unit]) -> str:
    """The text of *units* (blocks, not attributes) as a reader sees it, one block a line."""
    return "\n".join(" ".join(SPACES.sub(" ", s) for kind, s in u.runs if kind == TEXT).strip() for u in units
                     if u.kind != "attribute")


def visible_text(page: str, *, name: str = "<html>") -> str:
    """The text a reader sees on *page* (blocks one per line, no markup, no scripts, no
    attributes): what its language is detected on (``translate detect page.html``)."""
    return visible(Page(page, tokenize(page, name=name), name=name).units)


class HtmlType(Structured):
    name = "html"
    extensions = (".html", ".htm", ".xhtml")

    def sniff(self, head: bytes) -> bool:
        return _sniff(head)

    def read(self, data: bytes, *, name: str, options: Options) -> Page:
        text, encoding = _decode(data, name=name, encoding=options.encoding)
        page = read_page(text, name=name, content=options.content)
        page.encoding, page.bom = encoding, data.startswith(b"\xef\xbb\xbf")
        page.undeclared_ascii = keeps_ascii(data, text)
        return page


def read_page(text: str, *, name: str, content: str = "auto") -> Page:
    """*text* read into units; with *content* ``main`` (``auto`` for a full page) the units
    outside the article are kept as they are.  Raises :class:`InputError` for a page a
    browser would read very differently, or one with no text."""
    if content not in ("auto", "main", "all"):
        raise UsageError(f"--content: {content!r} is not one of auto, main, all")
    page = Page(text, tokenize(text, name=name), name=name)
    if not any(any(ch.isalpha() for ch in t) for u in page.units for t in u.texts):
        raise InputError("no text to translate outside the markup", path=name)
    if content == "main" or (content == "auto" and page.full):
        from .html_content import article_ids, extract

        candidates = page.candidates()
        article = article_ids(candidates, extract(text, name=name))
        if any(c.id in article for c in candidates if not c.head and not c.attribute):
            page.keep_chrome(article)
        else:  # no article found (a short page, a form): all of it is translated, and said so
            page.note = "no article found in the page: all of it translated"
    return page


class _InMemory(HtmlType):
    """A page held as text (no bytes to decode): what :func:`translate_html` translates."""

    def __init__(self, text: str) -> None:
        self.text = text

    def read(self, data: bytes, *, name: str, options: Options) -> Page:
        page = read_page(self.text, name=name, content=options.content)
        page.encoding = None
        return page


def translate_html(html: str, *, to: str | Sequence[str], source: str = "auto", translator: Translator | None = None,
                   glossary: str | Sequence[str] | None = None, content: str = "auto") -> dict[str, str]:
    """*html* (a page or a fragment) translated into every language of *to* (``"en,es"`` or
    a list): ``{language: html}``, every byte outside the translated text as it was.

    *translator*: a :class:`~translator.Translator` to reuse (models stay loaded), else the
    process's shared one; *glossary*: built-in names or CSV paths added to its terms;
    *content*: ``"main"`` translates only the article of a full page, ``"all"`` every text,
    ``"auto"`` (the default) the article of a full page and the whole of a fragment.
    Raises :class:`~translator.errors.InputError` for a page a browser would read very
    differently from its text (a comment or script never closed, a broken tag)."""
    from .. import languages
    from ..pipeline import _shared

    targets = languages.normalize_list(to, option="to")
    if source != "auto":
        source = languages.normalize(source, option="source")
    if translator is None:
        translator = _shared("auto", glossary)
    elif glossary:
        from ..glossary import Glossary, load

        extra = load(glossary if isinstance(glossary, str) else list(glossary))
        translator = translator.with_glossary(Glossary.combine([extra, translator.glossary])
                                              if translator.glossary else extra)
    done = _InMemory(html).translate(translator, b"", name="<html>", to=targets, source=source,
                                     options=Options(content=content))
    return {o.target: o.data for o in done.outputs}


_SNIFF_TAGS = ("html", "head", "body", "div", "p", "section", "article", "main", "header", "nav", "span", "a", "h1",
               "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "figure", "blockquote", "meta", "title", "link",
               "img", "form", "aside", "footer", "br", "em", "strong")


def _sniff(head: bytes) -> bool:
    text = head[:4096].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    text = re.sub(rb"^<\?xml[^>]*>\s*", b"", text)
    while text.startswith(b"<!--") and b"-->" in text:
        text = text[text.index(b"-->") + 3:].lstrip()
    if text.startswith(b"<!doctype html"):
        return True
    m = re.match(rb"<([a-z][a-z0-9]*)[\s/>]", text)
    return bool(m) and m.group(1).decode() in _SNIFF_TAGS


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)


def _declared_charset(data: bytes) -> str | None:
    """The charset the page's ``<meta charset>`` or ``<meta http-equiv="Content-Type"
    content="...; charset=...">`` declares, where a browser looks for it (the first 1024
    bytes), lowercased; None when it declares none."""
    m = _CHARSET.search(data[:1024])
    return m.group(1).decode("ascii").lower() if m else None


def keeps_ascii(data: bytes, text: str) -> bool:
    """Whether the page *data* (read as *text*) is written back in ASCII, the characters
    beyond it as character references (:func:`as_references`): when it is ASCII and
    declares no charset (no byte order mark, no ``<meta charset>`` nor ``<meta
    http-equiv="Content-Type">`` where browsers look, the first 1024 bytes).

    Such a page (its accents written as references, ``t&eacute;l&eacute;vision``) reads
    the same in any encoding, and a browser given no charset (nor by a server) reads it
    in its locale's legacy encoding, Windows-1252 in the West: the translation written
    in raw UTF-8 (``televisión``) would show there as ``televisiÃ³n``.  Kept in ASCII it
    reads right whatever encoding a browser guesses or a server names, as a full page or
    as a fragment pasted into another page, where a ``<meta charset="utf-8">`` added to
    the file could not help (and would change its markup and what its server says).
    A page that declares its charset, or already holds characters beyond ASCII (its
    encoding chosen by someone), is written in its own encoding as before."""
    return data.isascii() and text.isascii() and _declared_charset(data) is None


def as_references(text: str, *, named: bool = False) -> str:
    """*text* with every character beyond ASCII written as a character reference: as
    ``&oacute;`` where HTML 4 has a name and *named* (a page that writes names already),
    else as ``&#243;`` (also valid in XHTML read as XML).  Safe on a whole page that was
    ASCII: its characters beyond ASCII are translations, which are only ever written in
    text and attribute values, where references are read."""
    from html.entities import codepoint2name

    def reference(m: re.Match[str]) -> str:
        code = ord(m.group(0))
        return f"&{codepoint2name[code]};" if named and code in codepoint2name else f"&#{code};"

    return re.sub(r"[^\x00-\x7f]", reference, text)


def _writes_names(source: str) -> bool:
    """Whether *source* writes some character beyond ASCII by its name (``&eacute;``)."""
    return any(not entities.unescape(m.group(0)).isascii() for m in re.finditer(r"&[A-Za-z][A-Za-z0-9]*;", source))


def _decode(data: bytes, *, name: str, encoding: str | None) -> tuple[str, str]:
    """The page's text: *encoding* if given, else the charset its ``<meta>`` declares
    (as browsers read it), else UTF-8 or Windows-1252 as for text files."""
    from ..textio import decode

    if encoding is None:
        declared = _declared_charset(data) or ""
        declared = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252"}.get(declared, declared)
        if declared and not declared.startswith(("utf-8", "utf8", "utf-16", "utf16")):
            import codecs

            try:
                encoding = codecs.lookup(declared).name
            except LookupError:
                encoding = None  # an unknown label: browsers ignore it too
    return decode(data, name=name, encoding=encoding)


TYPE = HtmlType()
