"""Word documents (.docx): every paragraph translated in place, its runs' formatting kept.

Works on the package's XML parts directly (lxml), not through python-docx: python-docx
writes back every part it loaded and reaches neither footnotes, endnotes nor text boxes,
and hides the runs inside fields and tracked changes.  Here the parts are read as they
are, every ``w:p`` of the main document, its headers, footers, footnotes, endnotes and
comments (text boxes included, tables of course) is one unit, and only ``w:t`` texts and
languages change: the other parts are copied byte for byte (:mod:`.docx_package`).

Inside a paragraph, runs formatted otherwise than the paragraph's own text travel as
pairs of codes and tabs, breaks, fields, references and pictures as single codes
(:mod:`.docx_runs`); the words between codes go back into the runs they came from.
Translated runs get ``w:lang`` = the target, as does the document's default language in
its styles and core properties when they declare one.  A unit's ``id`` is its paragraph's
place: ``p12`` is the 12th ``w:p`` of the main document in document order,
``footnotes p3`` the 3rd of the footnotes.
"""

from __future__ import annotations

import re
from collections import Counter

from .base import Options, Output, Structured, Unit
from .docx_package import Package, build, parse, read_package, serialize
from .docx_runs import W, Paragraph, place, read_paragraph, w

#: A zip whose first entries lie in the ``word/`` folder (a local file header, then its name).
_WORD_ENTRY = re.compile(rb"PK\x03\x04[\s\S]{26}word/")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_DC_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"
#: Run properties that come after ``w:lang`` in the schema's order (Word insists on it).
_AFTER_LANG = {w(n) for n in ("eastAsianLayout", "specVanish", "oMath", "rPrChange")}
_TAGS = {"zt": "zh-TW"}  # our codes that are not BCP 47 tags
_HEADING = re.compile(r"(?i)heading|titre|title|überschrift|titolo|t[ií]tulo")


class DocxType(Structured):
    name = "docx"
    extensions = (".docx",)
    binary = True  # its own reader says what is wrong with a zip named .docx

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and _WORD_ENTRY.search(head) is not None

    def read(self, data: bytes, *, name: str, options: Options) -> ParsedDocx:
        return ParsedDocx(read_package(data, name, limit=10 * options.max_size))


class ParsedDocx:
    """A Word document: one unit per paragraph that has text, and how to rebuild it."""

    declared_source = None

    def __init__(self, package: Package) -> None:
        self.package = package
        self.units: list[Unit] = []
        self.paragraphs: dict[str, tuple[str, Paragraph]] = {}  # unit id -> (part, paragraph)
        #: target -> (runs formatted otherwise than their paragraph, how many kept their formatting)
        self.formatting: dict[str, tuple[int, int]] = {}
        for part, kind in package.parts:
            self._read(part, kind)
        self.sample = "\n".join(" ".join(t for t in u.texts) for u in self.units)

    def _read(self, part: str, kind: str) -> None:
        root = parse(self.package, part).getroot()
        index = {t: i for i, t in enumerate(root.iter(w("t")))}
        label = "" if kind == "body" else f"{part.rsplit('/', 1)[-1].rsplit('.', 1)[0]} "
        for number, p in enumerate(root.iter(w("p")), 1):
            par = read_paragraph(p, index)
            if any(slot.text.strip() for slot in par.slots):
                uid = f"{label}p{number}"
                self.paragraphs[uid] = (part, par)
                self.units.append(Unit(uid, par.runs, kind=_kind(p, kind)))

    def check_targets(self, targets: list[str]) -> None:
        pass

    def verify(self, unit: Unit, translation: str) -> bool:
        return place(self.paragraphs[unit.id][1], translation).usable

    def write(self, target: str, texts: dict[str, str], rebuilt: set[str],
              failed: list[tuple[Unit, str]]) -> Output:
        trees = {part: parse(self.package, part) for part, _ in self.package.parts}
        pieces = {part: list(tree.iter(w("t"))) for part, tree in trees.items()}
        count, touched = Counter(), set()
        for unit in self.units:
            if not any(ch.isalpha() for ch in unit.text):
                continue  # nothing to translate: left as it is
            part, par = self.paragraphs[unit.id]
            touched.add(part)
            placed = place(par, texts[unit.id])
            _fill(par, placed.texts, pieces[part], _TAGS.get(target, target))
            count.update(paragraphs=1, rebuilt=unit.id in rebuilt, pairs=par.pairs, kept=placed.pairs_kept)
        replaced = {part: serialize(self.package.data[part], trees[part]) for part in touched}
        replaced.update(_default_language(self.package, _TAGS.get(target, target)))
        self.formatting[target] = (count["pairs"], count["kept"])
        summary = f"{target}: {count['paragraphs']} paragraphs translated"
        if count["rebuilt"]:
            summary += f" ({count['rebuilt']} run by run: codes lost)"
        if count["pairs"]:
            summary += f"; {count['kept']} of {count['pairs']} runs formatted apart kept their formatting"
        return Output(target, build(self.package, replaced), f".{target}.docx", summary)


def _kind(p, part_kind: str) -> str:
    """"heading", "cell", "textbox", "header", "footnote"... for JSON and review outputs."""
    if part_kind != "body":
        return part_kind.rstrip("s")
    for ancestor in p.iterancestors(w("txbxContent"), w("tc")):
        return "textbox" if ancestor.tag == w("txbxContent") else "cell"
    style = p.find(f"{w('pPr')}/{w('pStyle')}")
    outline = p.find(f"{w('pPr')}/{w('outlineLvl')}")
    if outline is not None or (style is not None and _HEADING.search(style.get(w("val")) or "")):
        return "heading"
    return "paragraph"


def _fill(par: Paragraph, texts: dict[int, str], pieces: list, lang: str) -> None:
    """Each slot's text into its first ``w:t`` (the others emptied), its runs in *lang*."""
    for at, slot in enumerate(par.slots):
        new = texts.get(at, "")
        first = pieces[slot.texts[0]]
        first.text = new
        if new != new.strip() or "  " in new:
            first.set(_XML_SPACE, "preserve")
        for i in slot.texts[1:]:
            pieces[i].text = ""
        for run in {id(pieces[i].getparent()): pieces[i].getparent() for i in slot.texts}.values():
            _set_language(run, lang)


def _set_language(run, lang: str) -> None:
    props = run.find(w("rPr"))
    if props is None:
        props = run.makeelement(w("rPr"))
        run.insert(0, props)
    element = props.find(w("lang"))
    if element is None:
        element = props.makeelement(w("lang"))
        later = next((i for i, child in enumerate(props) if child.tag in _AFTER_LANG), len(props))
        props.insert(later, element)
    element.set(w("val"), lang)


def _default_language(package: Package, lang: str) -> dict[str, bytes]:
    """The styles' default language and the core properties' ``dc:language``, where the
    document declares them, set to *lang*."""
    out = {}
    if package.styles:
        tree = parse(package, package.styles)
        found = tree.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
        if found is not None and found.get(w("val")):
            found.set(w("val"), lang)
            out[package.styles] = serialize(package.data[package.styles], tree)
    if package.core:
        tree = parse(package, package.core)
        found = tree.find(_DC_LANGUAGE)
        if found is not None and (found.text or "").strip():
            found.text = lang
            out[package.core] = serialize(package.data[package.core], tree)
    return out


TYPE = DocxType()

__all__ = ["TYPE", "W"]
