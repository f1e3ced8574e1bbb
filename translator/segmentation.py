"""Split a document into segments (titles and paragraphs), lines and sentences, losslessly.

``Layout.join(...)`` rebuilds the exact input from the pieces, so every blank line,
indentation, list marker and trailing space comes back in the same place.
Sentences come from sentencex (Wikimedia's segmenter), corrected for the
abbreviations and initials it splits on ("M. Dupont", "J. K. Rowling").
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

_BLANK_RUN = re.compile(r"(\r?\n(?:[ \t\f\v]*\r?\n)+)")
_NEWLINE = re.compile(r"(\r?\n)")
# Indentation, then a Markdown heading / list / quote marker, kept out of translation.
_PREFIX = re.compile(r"^([ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+•–][ \t]+|\d{1,3}[.)][ \t]+)?)")
_TERMINAL = tuple(".!?…:;»\"”)。！？")
_LETTER = re.compile(r"[^\W\d_]")

# Titles and abbreviations after which a period never ends a sentence.
_NEVER_FINAL = {
    "fr": "M MM Mme Mmes Mlle Mlles Dr Pr Me Mgr St Ste cf p pp vol art chap av apr env",
    "en": "Mr Mrs Ms Dr Prof St Mt vs v Gen Sen Rep Gov Lt Col Capt Sgt Rev Hon No approx",
    "es": "Sr Sra Srta Dr Dra D Dña Ud Uds Lic Ing pág núm",
    "de": "Hr Hrn Fr Dr Prof St Nr bzw vgl ca Abs",
    "it": "Sig Sigg Sig.ra Dott Dr Prof On Avv Ing pag",
    "pt": "Sr Sra Srta Dr Dra Prof Exmo Exma pág",
}
# Abbreviations that end a sentence only when a capitalised word follows
# (post-nominals and list ends: "Piquet Jr. s'est écrasé" / "... Piquet Jr. Exactement").
_MAYBE_FINAL = "etc usw ecc Inc Ltd Co Corp Jr Sr"
_ABBREV_CACHE: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


def _abbreviations(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    if lang not in _ABBREV_CACHE:
        never = set(_NEVER_FINAL.get(lang, "").split()) | set(_NEVER_FINAL["en"].split()) & {"Dr", "St"}
        _ABBREV_CACHE[lang] = frozenset(never), frozenset(_MAYBE_FINAL.split())
    return _ABBREV_CACHE[lang]


_LAST_WORD = re.compile(r"(?:^|[\s(«\"“'])([^\s(«\"“']+)\.\s*$")
_INITIAL = re.compile(r"(?:^|[\s(«\"“'.-])([A-ZÀ-ÖØ-Þ])\.\s*$")


def _glue(prev: str, nxt: str, lang: str) -> bool:
    """True when the split between *prev* and *nxt* is not a sentence boundary."""
    head = nxt.lstrip()
    if not head:
        return True
    first = head[0]
    never, maybe = _abbreviations(lang)
    m = _LAST_WORD.search(prev)
    if m:
        word = m.group(1)
        if word in never:
            return True
        if word in maybe and not first.isupper():
            return True
    # "J. K. Rowling", "Roe v. Wade": an initial followed by a capitalised name.
    if _INITIAL.search(prev) and first.isupper():
        return True
    return first.islower()


def split_sentences(text: str, lang: str = "fr") -> list[str]:
    """Split *text* into sentences; ``"".join(result) == text`` always holds."""
    if not text:
        return []
    import sentencex  # lazy: keeps 'translate --help' fast

    pieces = [p for p in sentencex.segment(lang, text) if p]
    if "".join(pieces) != text:  # never trust a segmenter with our whitespace
        return [text]
    merged: list[str] = []
    for piece in pieces:
        if merged and (not _LETTER.search(piece) and not piece.strip() or _glue(merged[-1], piece, lang)):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def _is_wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in ("W", "F")


def has_letters(text: str) -> bool:
    return _LETTER.search(text) is not None


@dataclass
class Unit:
    """One translatable run: a line, or a hard-wrapped paragraph joined into one.

    ``sentences`` alternate with nothing: each holds its trailing whitespace, so
    ``prefix + "".join(sentences) + suffix`` is the source text of the unit.
    """

    prefix: str
    sentences: list[str]
    suffix: str
    wrap: int = 0  # >0: the source was hard-wrapped at this width; re-wrap output
    newline: str = "\n"
    indent: str = ""

    @property
    def text(self) -> str:
        return "".join(self.sentences)

    def render(self, translated: list[str]) -> str:
        """The unit with each sentence replaced by *translated*, whitespace kept: the
        source sentence's leading and trailing whitespace surround its translation."""
        parts = []
        last = len(self.sentences) - 1
        for i, (t, src) in enumerate(zip(translated, self.sentences)):
            t = t.strip()
            lead = src[: len(src) - len(src.lstrip())]
            core = src[len(lead):].rstrip()
            gap = src[len(lead) + len(core):]
            if not gap and i < last and t and core and _is_wide(core[-1]) and not _is_wide(t[-1]):
                gap = " "  # CJK sources have no space between sentences; the target may need one
            parts.append(lead + t + gap)
        body = "".join(parts)
        if self.wrap:
            lines = textwrap.wrap(
                body.strip(), width=self.wrap, initial_indent=self.prefix,
                subsequent_indent=self.indent, break_long_words=False, break_on_hyphens=False,
            ) or [self.prefix]
            return self.newline.join(lines) + self.suffix
        return self.prefix + body + self.suffix


@dataclass
class Block:
    """Text between blank lines: a title (one short line) or a paragraph."""

    units: list[Unit]
    separators: list[str]  # newlines between units (len(units) - 1)
    source: str  # the block exactly as in the input
    kind: str = "paragraph"

    @property
    def text(self) -> str:
        """The translatable text (no markers), for language detection."""
        return " ".join(u.text.strip() for u in self.units)

    def render(self, translated: list[list[str]]) -> str:
        out = []
        for i, (unit, sents) in enumerate(zip(self.units, translated)):
            if i:
                out.append(self.separators[i - 1])
            out.append(unit.render(sents))
        return "".join(out)


@dataclass
class Layout:
    """A whole document: ``parts`` alternate separators (str) and blocks."""

    head: str
    blocks: list[Block] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # between blocks (len(blocks) - 1)
    tail: str = ""

    def start_lines(self) -> list[int]:
        """The 1-based line on which each block starts in the source."""
        line = 1 + self.head.count("\n")
        starts = []
        for i, block in enumerate(self.blocks):
            if i:
                line += self.gaps[i - 1].count("\n")
            starts.append(line)
            line += block.source.count("\n")
        return starts

    def join(self, rendered: list[str]) -> str:
        out = [self.head]
        for i, text in enumerate(rendered):
            if i:
                out.append(self.gaps[i - 1])
            out.append(text)
        out.append(self.tail)
        return "".join(out)


def _is_continuation(prev: str, line: str) -> bool:
    """A hard-wrapped line: the previous one has text that does not end a sentence and
    this one starts in lower case with no list marker."""
    body = line.lstrip()
    prev_text = prev[len(_PREFIX.match(prev).group(1)):].strip()  # ">" alone has none
    if not body or not prev_text or _PREFIX.match(line).group(1).strip():
        return False
    return not prev.rstrip().endswith(_TERMINAL) and body[0].islower()


def _make_units(block: str, lang: str) -> tuple[list[Unit], list[str]]:
    parts = _NEWLINE.split(block)
    lines, newlines = parts[0::2], parts[1::2]
    groups: list[list[int]] = []
    for i, line in enumerate(lines):
        if groups and _is_continuation(lines[groups[-1][-1]], line):
            groups[-1].append(i)
        else:
            groups.append([i])
    units, seps = [], []
    for g in groups:
        first = lines[g[0]]
        prefix = _PREFIX.match(first).group(1)
        if len(g) == 1:
            body = first[len(prefix):]
            stripped = body.rstrip()
            units.append(Unit(prefix, split_sentences(stripped, lang) if stripped else [], body[len(stripped):]))
        else:
            body = first[len(prefix):]
            prefix += body[: len(body) - len(body.lstrip())]  # ">\u00a0Le": keep the space the marker did not take
            joined = " ".join([body.strip()] + [lines[i].strip() for i in g[1:]])
            indent = re.match(r"[ \t]*", lines[g[1]]).group(0)
            width = max(len(lines[i].rstrip()) for i in g)
            units.append(Unit(prefix, split_sentences(joined, lang), "", wrap=width,
                              newline=newlines[g[0]], indent=indent))
        if g[-1] < len(newlines) and g is not groups[-1]:
            seps.append(newlines[g[-1]])
    return units, seps


def segment(text: str, lang: str = "fr") -> Layout:
    """Cut *text* into blocks, units and sentences without losing a character."""
    stripped = text.strip()
    head = text[: len(text) - len(text.lstrip())]
    tail = text[len(head) + len(stripped):]
    layout = Layout(head=head, tail=tail)
    if not stripped:
        return layout
    chunks = _BLANK_RUN.split(stripped)
    for i, chunk in enumerate(chunks):
        if i % 2:
            layout.gaps.append(chunk)
            continue
        units, seps = _make_units(chunk, lang)
        block = Block(units, seps, chunk)
        block.kind = _kind(block)
        layout.blocks.append(block)
    return layout


def _kind(block: Block) -> str:
    if len(block.units) != 1:
        return "paragraph"
    unit = block.units[0]
    if unit.prefix.lstrip().startswith("#"):
        return "title"
    text = unit.text.strip()
    if len(unit.sentences) == 1 and not text.endswith(tuple(".!?…:;。！？")) and len(text.split()) <= 15:
        return "title"
    return "paragraph"
