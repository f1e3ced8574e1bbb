"""An HTML token stream read into translatable units.

One pass over the tokens (:mod:`.html_tokens`) with the open elements (:mod:`.html_tree`):
the text of each block with the inline elements inside it becomes a unit whose codes are
the inline tags as they stand; tags and blank text at a unit's edges stay outside it.
Elements whose content is never translated are skipped whole (an inline one is one code
of the sentence around it).  The attributes people read become units of their own, and
the tags that name the page's language are noted for the rebuild.
"""

from __future__ import annotations

import html as entities
import re
from dataclasses import dataclass, field

from .base import CODE, TEXT, Unit
from .html_tokens import COMMENT, DATA, EMPTY, END, START, Attribute, Token
from .html_tree import VOID, OpenElements

INLINE = frozenset("a abbr acronym b bdi bdo big br cite code data del dfn em font i img ins kbd label mark nobr "
                   "q rp rt ruby s samp small span strike strong sub sup time tt u var wbr".split())
#: Elements whose content is never translated (raw text, code, drawings).
UNTOUCHED = frozenset("script style pre code kbd samp var textarea svg math template iframe noembed noframes "
                      "xmp plaintext".split())
#: Of those, the elements whose own readable attributes are translated all the same (a
#: form field's ``placeholder``, a frame's or a drawing's ``title`` and ``aria-label``):
#: their content is not the page's text (the field's value, another page, a drawing)
#: but the element is part of the page people read.  The others (scripts, styles, code)
#: are kept whole, attributes included.
READ_ATTRIBUTES = frozenset("textarea iframe svg math".split())
_READ = ("alt", "title", "placeholder", "aria-label")  # the attributes people read, on any element
_META = frozenset("description og:title og:description og:image:alt twitter:title twitter:description "
                  "twitter:image:alt".split())
SPACES = re.compile(r"[ \t\n\r\f]+")


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


class Walker:
    """Goes through the tokens once, gathering the text of each block into a unit (inline
    elements as codes) and the attributes to translate."""

    def __init__(self, page) -> None:
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
        if _attributes_read(token):
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
        if _attributes_read(token):
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
        self.page.units.append(unit_of(uid, runs, self.page.source, kind=kind, line=self.page.line(start)))
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
    if "dir" not in names:
        edits.append(Edit(None, "dir", value="{dir}"))  # added for a right-to-left target only
    elif names["dir"].span is not None:
        edits.append(Edit(names["dir"], "dir", value="{dir}"))
    return edits


def _marked_no(token: Token) -> bool:
    """``translate="no"`` or the ``notranslate`` class (the convention engines honour)."""
    return ((token.attribute("translate") or "").strip().lower() == "no"
            or "notranslate" in (token.attribute("class") or "").split())


def _attributes_read(token: Token) -> bool:
    """Whether the attributes of *token*'s element are looked at: not for scripts, styles,
    code (kept whole) nor elements marked not to translate; yes for those of
    :data:`READ_ATTRIBUTES` although their content is kept: a ``<textarea>``'s
    ``placeholder`` is read like an ``<input>``'s (the only two elements HTML gives one),
    its text, the field's value, is not translated."""
    return (token.tag not in UNTOUCHED or token.tag in READ_ATTRIBUTES) and not _marked_no(token)


def _read_value(token: Token, attribute: Attribute) -> bool:
    return (attribute.name == "value" and token.tag == "input"
            and (token.attribute("type") or "").strip().lower() in ("submit", "button", "reset"))


def _meta_content(token: Token, attribute: Attribute) -> bool:
    if token.tag != "meta" or attribute.name != "content":
        return False
    key = (token.attribute("name") or token.attribute("property") or "").strip().lower()
    return key in _META


def unit_of(uid: str, runs: list[Run], source: str, **kw) -> Unit:
    """The unit of *runs*: the engines get its text and codes with white space runs as one
    space; a run-by-run fallback gets the codes as they stand (put back as they are)."""
    raws = [source[r.start:r.end] for r in runs if r.kind == CODE]
    collision = len({SPACES.sub(" ", raw) for raw in raws}) != len(set(raws))  # codes told apart by spaces only
    return Unit(uid, [(r.kind, SPACES.sub(" ", r.text if r.kind == TEXT else source[r.start:r.end])) for r in runs],
                whole=not collision, source_runs=[(TEXT, SPACES.sub(" ", r.text)) if r.kind == TEXT else
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


__all__ = ["INLINE", "SPACES", "UNTOUCHED", "Block", "Edit", "Run", "Walker", "unit_of"]
