"""A Word paragraph's runs as text slots and inline codes, and a translation put back into them.

A paragraph (``w:p``) is read in document order into text pieces (each ``w:t``) and
atoms: what has a place in the text but is not text (tabs, breaks, fields, footnote and
comment references, pictures, symbols, equations).  Consecutive pieces with the same
formatting (the run's properties less its language, and the hyperlink, tracked insertion
or content control around it) form a *slot*.  The formatting that covers most characters
is the paragraph's own; every other slot travels between a pair of codes (``⟦1⟧...⟦/1⟧``)
and every atom as one code (``⟦2/⟧``), do-not-translate pieces for the engines.

Putting a translation back keeps the codes that came back in their source order (the
longest such sequence, atoms and links counting before plain formatting): each piece of
text between two kept codes goes into the slot the source had there.  A formatting pair
lost or moved out of order is dropped, and its words take the paragraph's formatting;
an atom or a link lost or moved makes the translation unusable (:func:`usable`), and the
unit is translated run by run instead.  Nothing but ``w:t`` texts changes: every other
element stays where it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .base import CODE, TEXT

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"

#: Elements around runs that carry meaning of their own: a slot inside one is a required pair.
_CONTAINERS = {"hyperlink", "ins", "moveTo", "smartTag", "customXml", "dir", "bdo"}
#: Run content with a place in the text that is not text.
_ATOMS = {"tab", "br", "cr", "sym", "drawing", "pict", "object", "footnoteReference", "endnoteReference",
          "commentReference", "footnoteRef", "endnoteRef", "annotationRef", "ptab", "noBreakHyphen", "ruby",
          "separator", "continuationSeparator", "pgNum", "contentPart", "dayShort", "dayLong", "monthShort",
          "monthLong", "yearShort", "yearLong"}
_REQUIRED, _OPTIONAL = 1_000_000, 1
_CODE = re.compile(r"⟦/?\d+/?⟧")  # weights: an atom or link outweighs any number of formatting pairs


def w(local: str) -> str:
    return f"{{{W}}}{local}"


@dataclass
class Slot:
    """Consecutive text pieces of one formatting: the ``w:t`` elements (their indices in
    the part, in document order) and the text they hold."""

    key: tuple
    texts: list[int] = field(default_factory=list)
    text: str = ""


@dataclass
class Code:
    string: str
    kind: str  # "open", "close" (a pair around a slot) or "atom"
    pair: int | None  # the slot index of a pair, None for an atom
    required: bool


@dataclass
class Paragraph:
    """One ``w:p``: its slots, codes and the gaps between codes (``gaps[i]`` lies
    before ``codes[i]``; a gap holds one slot or none)."""

    slots: list[Slot]
    codes: list[Code]
    gaps: list[int | None]  # slot index per gap

    @property
    def runs(self) -> list[tuple[str, str]]:
        """The unit's runs: slot texts and codes, in order."""
        runs = []
        for i, gap in enumerate(self.gaps):
            if gap is not None:
                runs.append((TEXT, self.slots[gap].text))
            if i < len(self.codes):
                runs.append((CODE, self.codes[i].string))
        return runs

    @property
    def pairs(self) -> int:
        return sum(1 for c in self.codes if c.pair is not None) // 2


class _Reader:
    """Walks one paragraph, collecting text pieces and atoms in document order."""

    def __init__(self) -> None:
        self.items: list[tuple[str, object, tuple]] = []  # ("text", w:t, key) | ("atom", None, ())
        self.depth = 0  # inside a complex field (begin ... end): its result is kept as one atom
        self.serial = 0

    def walk(self, element, chain: tuple) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue  # comments, processing instructions
            ns, _, local = child.tag[1:].partition("}")
            if ns == _MATH or (ns == _MC and local == "AlternateContent"):
                self.atom()
            elif ns != W:
                continue
            elif local == "r":
                self.run(child, chain)
            elif local in _CONTAINERS or local == "sdt":
                self.serial += 1
                inner = child.find(w("sdtContent")) if local == "sdt" else child
                if inner is not None:
                    self.walk(inner, (*chain, (local, self.serial)))
            elif local == "fldSimple":
                self.atom()
            # anything else (properties, bookmarks, proofing marks, comment ranges, deleted
            # text, nested paragraphs) has no place in the text and stays where it is

    def run(self, run, chain: tuple) -> None:
        key = None
        for child in run:
            if not isinstance(child.tag, str):
                continue
            ns, _, local = child.tag[1:].partition("}")
            if local == "fldChar" and ns == W:
                kind = child.get(w("fldCharType"))
                if kind == "begin":
                    if not self.depth:
                        self.atom()
                    self.depth += 1
                elif kind == "end":
                    self.depth = max(0, self.depth - 1)
            elif self.depth:
                continue
            elif ns == W and local == "t":
                if child.text:
                    key = key or (chain, _properties(run))
                    self.items.append(("text", child, key))
            elif (ns == W and local in _ATOMS) or (ns == _MC and local == "AlternateContent"):
                self.atom()

    def atom(self) -> None:
        if not self.depth:
            self.items.append(("atom", None, ()))


def _properties(run) -> tuple:
    """The run's formatting, to compare: its ``w:rPr`` less the language."""
    props = run.find(w("rPr"))
    return () if props is None else tuple(_shape(c) for c in props if c.tag != w("lang"))


def _shape(element) -> tuple:
    return (element.tag, tuple(sorted(element.attrib.items())),
            tuple(_shape(c) for c in element if isinstance(c.tag, str)))


def read_paragraph(p, index: dict) -> Paragraph:
    """The slots and codes of the paragraph element *p* (*index*: each ``w:t`` of the
    part -> its position in document order)."""
    reader = _Reader()
    reader.walk(p, ())
    order: list[Slot | None] = []  # None: an atom
    for kind, element, key in reader.items:
        if kind == "atom":
            order.append(None)
            continue
        if not order or order[-1] is None or order[-1].key != key:
            order.append(Slot(key))
        order[-1].texts.append(index[element])
        order[-1].text += element.text
    return _coded(order)


def _dominant(order: list[Slot | None]):
    """The formatting covering most characters, preferring text outside links."""
    chars: dict = {}
    for slot in order:
        if slot is not None:
            chars[slot.key] = chars.get(slot.key, 0) + len(slot.text)
    plain = {k: n for k, n in chars.items() if not k[0]} or chars
    return max(plain, key=plain.get) if plain else None


def _coded(order: list[Slot | None]) -> Paragraph:
    dominant = _dominant(order)
    slots: list[Slot] = []
    codes: list[Code] = []
    gaps: list[int | None] = [None]
    for item in order:
        if item is not None and item.key == dominant:
            if gaps[-1] is None:
                slots.append(item)
                gaps[-1] = len(slots) - 1
            else:  # (same-formatting runs are already one slot unless a code parts them: kept safe)
                slots[gaps[-1]].texts += item.texts
                slots[gaps[-1]].text += item.text
            continue
        number = len(codes) + 1
        if item is None:
            codes.append(Code(f"⟦{number}/⟧", "atom", None, True))
            gaps.append(None)
            continue
        slots.append(item)
        at, required = len(slots) - 1, bool(item.key[0])
        codes += [Code(f"⟦{number}⟧", "open", at, required), Code(f"⟦/{number}⟧", "close", at, required)]
        gaps += [at, None]
    return Paragraph(slots, codes, gaps)


# -- a translation back into the slots -------------------------------------------------
def _pieces(par: Paragraph, translation: str) -> tuple[list[int], list[str]]:
    """The codes found in *translation* (source indices, in translation order, each once)
    and the texts around them (one more than codes; a repeated code is dropped)."""
    strings = {c.string: i for i, c in enumerate(par.codes)}
    found, seen, texts, last = [], set(), [""], 0
    for m in _CODE.finditer(translation if strings else ""):
        code = strings.get(m.group(0))
        if code is None:
            continue  # looks like a code, but not one of this paragraph's: text
        texts[-1] += translation[last:m.start()]
        last = m.end()
        if code not in seen:
            seen.add(code)
            found.append(code)
            texts.append("")
    texts[-1] += translation[last:]
    return found, texts


def _in_order(par: Paragraph, found: list[int]) -> set[int]:
    """The heaviest subsequence of *found* in source order (atoms and links weigh more than
    formatting pairs), in O(n log n) with a Fenwick tree of prefix maxima."""
    if found == sorted(found):
        return set(found)
    size = len(par.codes)
    tree: list[tuple[int, int]] = [(0, -1)] * (size + 1)  # (best weight, position in found)
    best, back = [], []
    for pos, code in enumerate(found):
        top, i = (0, -1), code  # prefix maximum over source indices < code
        while i > 0:
            top = max(top, tree[i])
            i -= i & -i
        weight = top[0] + (_REQUIRED if par.codes[code].required else _OPTIONAL)
        best.append(weight)
        back.append(top[1])
        i = code + 1
        while i <= size:
            tree[i] = max(tree[i], (weight, pos))
            i += i & -i
    pos = max(range(len(found)), key=best.__getitem__)
    chosen = set()
    while pos >= 0:
        chosen.add(found[pos])
        pos = back[pos]
    return chosen


@dataclass
class Placed:
    """A translation put into a paragraph's slots."""

    texts: dict[int, str]  # slot index -> its new text (slots not listed are emptied)
    pairs_kept: int
    usable: bool  # every atom and link came back in order


def place(par: Paragraph, translation: str) -> Placed:
    """Where each piece of *translation* goes: the text between two kept codes into the
    slot the source had between them."""
    found, texts = _pieces(par, translation)
    chosen = _in_order(par, found)
    whole = ({par.codes[i].pair for i in chosen if par.codes[i].kind == "open"}
             & {par.codes[i].pair for i in chosen if par.codes[i].kind == "close"})
    chosen = {i for i in chosen if par.codes[i].kind == "atom" or par.codes[i].pair in whole}
    usable = all(i in chosen for i, c in enumerate(par.codes) if c.required)
    merged = [texts[0]]  # the texts between kept codes, a dropped code's neighbours joined
    for pos, code in enumerate(found):
        if code in chosen:
            merged.append(texts[pos + 1])
        else:
            merged[-1] += texts[pos + 1]
    bounds = [0, *(i + 1 for i in sorted(chosen)), len(par.gaps)]
    paired = {c.pair for c in par.codes if c.pair is not None}
    ranges = [(_target(par, range(a, b), paired), text) for text, a, b in zip(merged, bounds, bounds[1:])]
    out: dict[int, str] = {}
    last, pending = None, ""
    for slot, text in ranges:
        if slot is None:  # adjacent codes in the source: the text joins the slot before (else after)
            if last is None:
                pending += text
            else:
                out[last] += text
            continue
        out[slot] = out.get(slot, "") + pending + text
        last, pending = slot, ""
    return Placed(out, len(whole), usable)


def _target(par: Paragraph, gaps: range, paired: set[int]) -> int | None:
    """The slot that receives the text between two kept codes: the one the source had
    there; when dropped pairs lay between them, the paragraph's own formatting (else the
    longest of their slots)."""
    held = [par.gaps[g] for g in gaps if par.gaps[g] is not None]
    if not held:
        return None
    own = [s for s in held if s not in paired]
    return own[0] if own else max(held, key=lambda s: len(par.slots[s].text))


__all__ = ["Paragraph", "Placed", "Slot", "W", "place", "read_paragraph", "w"]
