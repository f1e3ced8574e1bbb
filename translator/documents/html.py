"""HTML pages and fragments, translated in place: every byte that is not translated text
stays as it was.

The page is split into tokens that are slices of the source (:mod:`.html_tokens`, the
standard library's tokenizer with source positions).  A unit is the text of a block
(paragraph, heading, list item, cell, caption...) with the inline elements inside it
(``<a>``, ``<em>``, ``<span>``...) as inline codes, so that a sentence is translated
whole through its links and the tags come back exactly (else run by run).  The
attributes people read (``alt``, ``title``, ``placeholder``, ``aria-label``, the labels
of submit buttons, the page's description for search engines and social networks) are
units of their own.  ``<script>``, ``<style>``, ``<pre>``, ``<code>``, ``<kbd>``,
``<samp>``, ``<var>``, comments and elements marked ``translate="no"`` or
``class="notranslate"`` are never touched.  ``<html lang>`` (and ``og:locale``, JSON-LD
``inLanguage``) name the target.  With ``--content main`` (the default for full pages)
only the article is translated, the site around it kept (:mod:`.html_content`).
"""

from __future__ import annotations

import html as entities
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from ..errors import InputError, UsageError
from .base import CODE, TEXT, Options, Output, Structured, Unit
from .html_tokens import COMMENT, DATA, EMPTY, END, OTHER, START, Attribute, Token, tokenize
from .html_tree import VOID, OpenElements

if TYPE_CHECKING:
    from ..pipeline import Translator

INLINE = frozenset("a abbr acronym b bdi bdo big br cite code data del dfn em font i img ins kbd label mark nobr "
                   "q rp rt ruby s samp small span strike strong sub sup time tt u var wbr".split())
#: Elements whose content is never translated (raw text, code, drawings).
UNTOUCHED = frozenset("script style pre code kbd samp var textarea svg math template iframe noembed noframes "
                      "xmp plaintext".split())
_READ = ("alt", "title", "placeholder", "aria-label")  # the attributes people read, on any element
_META = frozenset("description og:title og:description og:image:alt twitter:title twitter:description "
                  "twitter:image:alt".split())
_SPACES = re.compile(r"[ \t\n\r\f]+")
_RTL = frozenset("ar arc dv fa he ks ku ps sd ug ur yi".split())
_TERRITORY = {"en": "US", "es": "ES", "fr": "FR", "de": "DE", "it": "IT", "pt": "PT", "ca": "ES", "nl": "NL",
              "pl": "PL", "ru": "RU", "zh": "CN", "ja": "JP", "ar": "AR", "sv": "SE", "da": "DK", "el": "GR"}


@dataclass
class Run:
    """A piece of a unit: text (decoded) or an inline code (its source as it stands)."""

    kind: str  # TEXT or CODE
    start: int
    end: int
    text: str = ""  # TEXT: decoded
    tag: str = ""
    role: str = ""  # CODE: "open", "close", "void", "comment" or "whole" (an untouched element)


@dataclass
class Block:
    """Where a unit of text stands: its span in the source and its runs."""

    start: int
    end: int
    runs: list[Run]
    tags: list[int] = field(default_factory=list)  # tokens (indexes) of the tags inside the span


@dataclass
class Edit:
    """A change inside one start tag: an attribute's value (a unit's translation, or a
    fixed value such as the target language), or an attribute added."""

    attribute: Attribute | None  # None: add *name*
    name: str
    unit: str = ""  # the unit whose translation is the value
    value: str = ""  # or this fixed value ("{target}" and "{locale}" replaced)


class Page:
    """An HTML document read into units: text blocks and readable attributes."""

    declared_source = None
    encoding: str | None = "utf-8"  # the file's encoding (None: a page held as text)
    bom = False

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
        _Walker(self).walk()
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
            unit = _unit(title.id, runs, self.source, kind=title.kind, line=title.line)
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
    def check_targets(self, targets: list[str]) -> None:
        pass

    def verify(self, unit: Unit, translation: str) -> bool:
        from .units import kept

        return kept(unit, translation)

    def write(self, target: str, texts: dict[str, str], rebuilt: set[str],
              failed: list[tuple[Unit, str]]) -> Output:
        text = self.rebuild(target, texts)
        translated = sum(1 for u in self.units if u.translate and texts[u.id] != _source_text(u))
        kept = sum(1 for u in self.units if not u.translate)
        summary = f"{target}: {translated} of {len(self.units)} texts translated" + (
            f", {kept} kept as site chrome" if kept else "")
        data: str | bytes = text
        if self.encoding is not None:  # a file: its own encoding, so that its <meta charset> stays true
            data = (("\ufeff" if self.bom else "") + text).encode(self.encoding, errors="xmlcharrefreplace")
        return Output(target, data, f".{target}{PurePath(self.name).suffix or '.html'}", summary)

    def rebuild(self, target: str, texts: dict[str, str]) -> str:
        """The page with each unit's text from *texts* and the tags' edits for *target*."""
        by_id = {u.id: u for u in self.units}
        tags = {i: self._tag(i, target, texts) for i in self.edits}
        changes = []  # (start, end, new text)
        inside = set()
        for uid, block in self.blocks.items():
            unit = by_id[uid]
            if texts[uid] in (unit.text, _source_text(unit)):
                continue
            inside.update(block.tags)
            codes = {self.source[self.tokens[i].start:self.tokens[i].end]: tags[i] for i in block.tags if i in tags}
            changes.append((block.start, block.end, _encode_unit(unit, texts[uid], block, self.source, codes)))
        for i, new in tags.items():
            if i not in inside and new is not None:
                changes.append((self.tokens[i].start, self.tokens[i].end, new))
        out, at = [], 0
        for start, end, new in sorted(changes):
            out += [self.source[at:start], new]
            at = end
        out.append(self.source[at:])
        return "".join(out)

    def _tag(self, i: int, target: str, texts: dict[str, str]) -> str | None:
        """Start tag *i* with its edits, or None when nothing changes."""
        token = self.tokens[i]
        raw = self.source[token.start:token.end]
        changes = []
        for edit in self.edits[i]:
            if edit.unit:
                value = texts[edit.unit]
                if value == edit.attribute.value:
                    continue
            else:
                value = edit.value.format(target=target, locale=_locale(target), dir=_direction(target))
            if edit.attribute is None:
                changes.append((len(_tag_head(raw)), len(_tag_head(raw)), f' {edit.name}="{value}"'))
            else:
                start, end = edit.attribute.span
                quote = edit.attribute.quote or '"'
                encoded = _encode(value, quote=quote, spelled=_spellings(raw[start:end]))
                changes.append((start, end, encoded) if edit.attribute.quote else (start, end, f'"{encoded}"'))
        if not changes:
            return None
        for start, end, new in sorted(changes, reverse=True):
            raw = raw[:start] + new + raw[end:]
        return raw


def _tag_head(raw: str) -> str:
    """``<html`` of ``<html class="x">``: where an added attribute goes."""
    return re.match(r"<[^\s/>]+", raw).group(0)


def _locale(target: str) -> str:
    return f"{target}_{_TERRITORY[target]}" if target in _TERRITORY else target


def _direction(target: str) -> str:
    return "rtl" if target in _RTL else "ltr"


def _source_text(unit: Unit) -> str:
    return "".join(s for _, s in unit.source_runs or unit.runs)


_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


def _spellings(raw: str) -> dict[str, str]:
    """The characters *raw* writes as character references, each with its spelling there
    (so that a translation writes ``&nbsp;`` where the source did)."""
    found = {}
    for m in _ENTITY.finditer(raw):
        char = entities.unescape(m.group(0))
        if len(char) == 1 and char not in "&<>" and not (char.isascii() and char.isalnum()):
            found.setdefault(char, m.group(0))
    return found


def _encode(text: str, *, quote: str = "", spelled: dict[str, str] | None = None) -> str:
    """*text* as HTML source: ``&``, ``<``, ``>`` (and the attribute's quote) escaped, and
    the characters the source spelled as references spelled the same way."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote == '"':
        out = out.replace('"', "&quot;")
    elif quote == "'":
        out = out.replace("'", "&#39;")
    for char, spelling in (spelled or {}).items():
        out = out.replace(char, spelling)
    return out


def _encode_unit(unit: Unit, translation: str, block: Block, source: str, tags: dict[str, str]) -> str:
    """A unit's translation as HTML: its inline codes put back as they stand in the source
    (with their own translated attributes), the text between them encoded."""
    raws = [source[r.start:r.end] for r in block.runs if r.kind == CODE]
    engine_codes = [s for kind, s in unit.runs if kind == CODE]
    final = {}
    for raw, seen in zip(raws, engine_codes):
        final.setdefault(seen, tags.get(raw, raw))
        final.setdefault(raw, tags.get(raw, raw))
    spelled = _spellings(source[block.start:block.end])
    if not final:
        return _encode(translation, spelled=spelled)
    pattern = re.compile("|".join(re.escape(c) for c in sorted(final, key=len, reverse=True)))
    out, at = [], 0
    for m in pattern.finditer(translation):
        out += [_encode(translation[at:m.start()], spelled=spelled), final[m.group(0)]]
        at = m.end()
    out.append(_encode(translation[at:], spelled=spelled))
    return "".join(out)


class _Walker:
    """Goes through the tokens once, gathering the text of each block into a unit (inline
    elements as codes) and the attributes to translate."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.tree = OpenElements()
        self.flow: list[Run] = []
        self.flow_tags: list[int] = []
        self.flow_node = self.tree.root
        self.skip = None  # the untouched element the tokens are in (a Node)
        self.skip_start = 0
        self.skip_token: Token | None = None

    def walk(self) -> None:
        for i, token in enumerate(self.page.tokens):
            if token.kind == START:
                self._start(i, token)
            elif token.kind == END:
                self._end(token)
            elif self.skip:
                if token.kind == DATA and self.skip.tag == "script":
                    self._json_ld(i, token)
            elif token.kind == EMPTY:
                self._empty(i, token)
            elif token.kind == DATA:
                self.flow.append(Run(TEXT, token.start, token.end, token.text))
            elif token.kind == COMMENT and self.flow:
                self.flow.append(Run(CODE, token.start, token.end, role="comment"))
            else:
                self._flush()
        self._end_skip(len(self.page.source))
        self._flush()

    # -- tags
    def _start(self, i: int, token: Token) -> None:
        node = self.tree.start(token.tag)
        if self.skip and self.skip not in self.tree.stack:  # closed by this tag (<p> by <div>)
            self._end_skip(token.start)
        if self.skip:
            return
        excluded = token.tag in UNTOUCHED or _marked_no(token)
        if not excluded:
            self._attributes(i, token, node)
        if token.tag in VOID:
            self._add(i, token, "void") if token.tag in INLINE else self._flush()
        elif excluded:
            if token.tag not in INLINE:
                self._flush()
            self.skip, self.skip_start, self.skip_token = node, token.start, token
        elif token.tag in INLINE:
            self._add(i, token, "open")
        else:
            self._flush()

    def _empty(self, i: int, token: Token) -> None:  # <br/>, <img ... />
        if token.tag not in UNTOUCHED and not _marked_no(token):
            self._attributes(i, token, self.tree.top)
        self._add(i, token, "void") if token.tag in INLINE else self._flush()

    def _end(self, token: Token) -> None:
        skipped = self.skip
        self.tree.end(token.tag)
        if skipped and skipped in self.tree.stack:
            return
        if skipped:
            own = token.tag == skipped.tag  # its own end tag is part of it
            self._end_skip(token.end if own else token.start)
            if own:
                return
        if token.tag in INLINE:
            self.flow.append(Run(CODE, token.start, token.end, tag=token.tag, role="close"))
        elif token.tag not in VOID:
            self._flush()

    def _end_skip(self, at: int) -> None:
        """Leave the untouched element: an inline one is a code of the text around it."""
        if self.skip is None:
            return
        node, self.skip = self.skip, None
        if node.tag in INLINE:
            self.flow.append(Run(CODE, self.skip_start, at, tag=node.tag, role="whole"))
        else:
            self.flow_node = self.tree.top

    def _add(self, i: int, token: Token, role: str) -> None:
        self.flow.append(Run(CODE, token.start, token.end, tag=token.tag, role=role))
        self.flow_tags.append(i)

    # -- units
    def _flush(self) -> None:
        runs, tags, node = self.flow, self.flow_tags, self.flow_node
        self.flow, self.flow_tags, self.flow_node = [], [], self.tree.top
        runs = _trimmed(_peeled(_merged(runs)), self.page.source)
        if not runs or not any(r.kind == TEXT and any(ch.isalpha() for ch in r.text) for r in runs):
            return
        uid = self._id(node, "")
        kind = "title" if node.tag in ("title", "h1", "h2", "h3", "h4", "h5", "h6") else "paragraph"
        start, end = runs[0].start, runs[-1].end
        self.page.units.append(_unit(uid, runs, self.page.source, kind=kind, line=self.page.line(start)))
        self.page.blocks[uid] = Block(start, end, runs, [i for i in tags if start <= self.page.tokens[i].start < end])
        self.page.nodes[uid] = node

    def _id(self, node, suffix: str) -> str:
        """A unit's id while the page is read; :meth:`Page._name_units` names it by its path
        once every element is known (an index needs the siblings that come after)."""
        uid = f"\x00{len(self.page.names)}"
        self.page.names[uid] = (node, suffix)
        return uid

    # -- attributes
    def _attributes(self, i: int, token: Token, node) -> None:
        edits = []
        for attribute in token.attributes:
            if attribute.span is None:
                continue
            if attribute.name in _READ or _read_value(token, attribute) or _meta_content(token, attribute):
                value = attribute.value or ""
                if any(ch.isalpha() for ch in value):
                    uid = self._id(node, f"/@{attribute.name}")
                    self.page.units.append(Unit.plain(uid, value, kind="attribute", line=self.page.line(token.start)))
                    self.page.nodes[uid] = node
                    self.page.attribute_tokens[uid] = i
                    edits.append(Edit(attribute, attribute.name, unit=uid))
            elif attribute.name == "content" and (token.attribute("property") or "").lower() == "og:locale":
                edits.append(Edit(attribute, "content", value="{locale}"))
        if token.tag == "html":
            edits += _language_edits(token)
        if edits:
            self.page.edits[i] = edits

    def _json_ld(self, i: int, token: Token) -> None:
        """``"inLanguage": "fr"`` in JSON-LD names the target (a plain language tag only)."""
        if (self.skip_token.attribute("type") or "").strip().lower() != "application/ld+json":
            return
        raw = self.page.source[token.start:token.end]
        m = re.search(r'"inLanguage"\s*:\s*"([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)"', raw)
        if m:  # the script's text is edited like a tag's attribute
            self.page.edits[i] = [Edit(Attribute("inLanguage", m.group(1), m.span(1), '"'), "inLanguage",
                                       value="{target}")]


def _language_edits(token: Token) -> list[Edit]:
    edits = []
    names = {a.name: a for a in token.attributes}
    for name in ("lang", "xml:lang"):
        if name in names and names[name].span is not None:
            edits.append(Edit(names[name], name, value="{target}"))
    if "lang" not in names:
        edits.append(Edit(None, "lang", value="{target}"))
    if "dir" in names and names["dir"].span is not None:
        edits.append(Edit(names["dir"], "dir", value="{dir}"))
    return edits


def _marked_no(token: Token) -> bool:
    """``translate="no"`` or the ``notranslate`` class (the convention engines honour)."""
    return ((token.attribute("translate") or "").strip().lower() == "no"
            or "notranslate" in (token.attribute("class") or "").split())


def _read_value(token: Token, attribute: Attribute) -> bool:
    return (attribute.name == "value" and token.tag == "input"
            and (token.attribute("type") or "").strip().lower() in ("submit", "button", "reset"))


def _meta_content(token: Token, attribute: Attribute) -> bool:
    if token.tag != "meta" or attribute.name != "content":
        return False
    key = (token.attribute("name") or token.attribute("property") or "").strip().lower()
    return key in _META


def _unit(uid: str, runs: list[Run], source: str, **kw) -> Unit:
    """The unit of *runs*: the engines get its text and codes with white space runs as one
    space; a run-by-run fallback gets the codes as they stand (put back as they are)."""
    raws = [source[r.start:r.end] for r in runs if r.kind == CODE]
    collision = len({_SPACES.sub(" ", raw) for raw in raws}) != len(set(raws))  # codes told apart by spaces only
    return Unit(uid, [(r.kind, _SPACES.sub(" ", r.text if r.kind == TEXT else source[r.start:r.end])) for r in runs],
                whole=not collision, source_runs=[(TEXT, _SPACES.sub(" ", r.text)) if r.kind == TEXT else
                                                  (CODE, source[r.start:r.end]) for r in runs], **kw)


def _merged(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        if out and run.kind == TEXT and out[-1].kind == TEXT:
            out[-1] = Run(TEXT, out[-1].start, run.end, out[-1].text + run.text)
        else:
            out.append(run)
    return out


def _pairs(runs: list[Run]) -> dict[int, int]:
    """Open tag index -> its close tag index, among the runs."""
    pairs, stack = {}, []
    for i, run in enumerate(runs):
        if run.role == "open":
            stack.append(i)
        elif run.role == "close":
            for k in range(len(stack) - 1, -1, -1):
                if runs[stack[k]].tag == run.tag:
                    pairs[stack[k]] = i
                    del stack[k:]
                    break
    return pairs


def _peeled(runs: list[Run]) -> list[Run]:
    """The runs less the codes at their edges that belong to no sentence: blank text,
    comments, void elements, tags closing what opened before or opening what closes after,
    and a pair of tags around all the text.  They stay in the page as they are."""
    while runs:
        first, last, pairs = runs[0], runs[-1], _pairs(runs)
        if first.kind == TEXT and not first.text.strip() or first.role in ("void", "comment", "close") or (
                first.role == "open" and 0 not in pairs):
            runs = runs[1:]
        elif last.kind == TEXT and not last.text.strip() or last.role in ("void", "comment", "open") or (
                last.role == "close" and len(runs) - 1 not in pairs.values()):
            runs = runs[:-1]
        elif first.role == "open" and pairs.get(0) == len(runs) - 1:
            runs = runs[1:-1]
        else:
            break
    return runs


def _trimmed(runs: list[Run], source: str) -> list[Run]:
    """The edge text runs without their outer white space (it stays in the page)."""
    if not runs:
        return runs
    runs = list(runs)
    for at in (0, -1):
        run = runs[at]
        if run.kind != TEXT:
            continue
        raw = source[run.start:run.end]
        start = run.start + (len(raw) - len(raw.lstrip(" \t\n\r\f")) if at == 0 else 0)
        end = run.end - (len(raw) - len(raw.rstrip(" \t\n\r\f")) if at == -1 else 0)
        runs[at] = Run(TEXT, start, end, entities.unescape(source[start:end]))
    return runs


def _visible(raw: str) -> str:
    """The text of a unit's source as a reader sees it (inline tags do not separate words)."""
    return " ".join(entities.unescape(re.sub(r"<[^>]*>", "", re.sub(r"<br\b[^>]*>", " ", raw, flags=re.I))).split())


def visible(units: list[Unit]) -> str:
    """The text of *units* (blocks, not attributes) as a reader sees it, one block a line."""
    return "\n".join(" ".join(_SPACES.sub(" ", s) for kind, s in u.runs if kind == TEXT).strip() for u in units
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

        page.keep_chrome(article_ids(page.candidates(), extract(text, name=name)))
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


def _decode(data: bytes, *, name: str, encoding: str | None) -> tuple[str, str]:
    """The page's text: *encoding* if given, else the charset its ``<meta>`` declares
    (as browsers read it), else UTF-8 or Windows-1252 as for text files."""
    from ..textio import decode

    if encoding is None:
        m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", data[:1024], re.I)
        declared = m.group(1).decode("ascii").lower() if m else ""
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
