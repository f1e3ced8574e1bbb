"""Formats translators exchange: TMX 1.4b, XLIFF 1.2 and gettext PO (polib).

One unit per sentence.  Machine translations are marked for review: XLIFF
``state="needs-review-translation"``, PO ``fuzzy``.  Engine and glossary are recorded.

The inline codes of a structured file (HTML or Markdown markup, Word formatting, XLIFF
inline elements) are XLIFF placeholders, ``<ph id="1">&lt;b&gt;</ph>``, the native code
inside, the same id in source and target: CAT tools show them as tags to move, not text to
translate.  PO keeps them as text, as html2po and po4a do; so does TMX, which ``memory
import`` reads back as the memory keeps sentences (codes as text).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import datetime, timezone
from functools import lru_cache

from .. import __version__
from ..document import Document
from .review import engine_summary, glossary_names

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _units(doc: Document, target: str):
    """(segment, sentence index, source sentence, translation) for every sentence."""
    for seg in doc.segments:
        translated = seg.sentence_translations.get(target, [])
        for i, sentence in enumerate(seg.sentences):
            if sentence.strip():
                yield seg, i, sentence, translated[i] if i < len(translated) else ""


def _xml(root: ET.Element, doctype: str = "") -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + doctype + ET.tostring(root, encoding="unicode") + "\n"


def write_tmx(doc: Document, targets: list[str]) -> str:
    """TMX 1.4b: one ``tu`` per source sentence, a ``tuv`` per language."""
    now = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    root = ET.Element("tmx", {"version": "1.4"})
    header = ET.SubElement(root, "header", {
        "creationtool": "translator", "creationtoolversion": __version__, "datatype": "plaintext",
        "segtype": "sentence", "adminlang": "en", "srclang": doc.source_language, "o-tmf": "translator",
        "creationdate": now})
    for target in targets:
        ET.SubElement(header, "prop", {"type": f"x-engine-{target}"}).text = engine_summary(doc, target)
    for name in glossary_names(doc):
        ET.SubElement(header, "prop", {"type": "x-glossary"}).text = name
    body = ET.SubElement(root, "body")
    rows: dict[tuple[int, int], ET.Element] = {}
    for target in targets:
        for seg, i, sentence, translation in _units(doc, target):
            tu = rows.get((seg.id, i))
            if tu is None:
                tu = rows[(seg.id, i)] = ET.SubElement(body, "tu", {"tuid": f"{seg.id}.{i + 1}"})
                ET.SubElement(tu, "prop", {"type": "x-paragraph"}).text = str(seg.id)
                ET.SubElement(ET.SubElement(tu, "tuv", {XML_LANG: doc.source_language}), "seg").text = sentence
            ET.SubElement(ET.SubElement(tu, "tuv", {XML_LANG: target}), "seg").text = translation
    return _xml(root, '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')


def write_xliff(doc: Document, target: str) -> str:
    """XLIFF 1.2 (read by translate-toolkit, Okapi, OmegaT, memoQ, Trados): machine
    translations are ``needs-review-translation``; one group per paragraph."""
    ns = "urn:oasis:names:tc:xliff:document:1.2"
    root = ET.Element("xliff", {"version": "1.2", "xmlns": ns})
    file_el = ET.SubElement(root, "file", {"original": doc.name, "source-language": doc.source_language,
                                           "target-language": target, "datatype": "plaintext",
                                           "tool-id": "translator"})
    header = ET.SubElement(file_el, "header")
    ET.SubElement(header, "tool", {"tool-id": "translator", "tool-name": "translator", "tool-version": __version__})
    note = f"engine: {engine_summary(doc, target)}"
    if glossary_names(doc):
        note += f"; glossary: {', '.join(glossary_names(doc))}"
    ET.SubElement(header, "note").text = note
    body = ET.SubElement(file_el, "body")
    groups: dict[int, ET.Element] = {}
    for seg, i, sentence, translation in _units(doc, target):
        group = groups.get(seg.id)
        if group is None:
            group = groups[seg.id] = ET.SubElement(body, "group", {"id": f"p{seg.id}", "resname": f"paragraph {seg.id}"})
        unit = ET.SubElement(group, "trans-unit", {"id": f"{seg.id}.{i + 1}", "approved": "no"})
        ids = _inline(ET.SubElement(unit, "source", {XML_LANG: doc.source_language}), sentence, seg.codes, {})
        status = seg.status.get(target, "translated")
        state = "needs-review-translation" if status == "translated" else "needs-translation"
        _inline(ET.SubElement(unit, "target", {XML_LANG: target, "state": state, "state-qualifier": "mt-suggestion"}),
                translation, seg.codes, ids)
    return _xml(root)


def _inline(element: ET.Element, text: str, codes: Sequence[str], ids: dict[str, list[str]]) -> dict[str, list[str]]:
    """*text* into *element*, each of *codes* found in it as ``<ph id="N">`` holding the code.

    *ids*: the ids the source gave each code, in order (empty for the source itself): the
    n-th occurrence of a code in the target takes the id of its n-th occurrence in the
    source, one the source lacks a number after the source's.  Returns the ids given."""
    given: dict[str, list[str]] = {}
    extra = sum(map(len, ids.values()))
    last, position = None, 0
    element.text = ""
    for match in _codes(tuple(codes)).finditer(text) if any(codes) else ():
        before, code = text[position:match.start()], match.group(0)
        if last is None:
            element.text += before
        else:
            last.tail += before
        seen, known = given.setdefault(code, []), ids.get(code, [])
        if len(seen) < len(known):
            seen.append(known[len(seen)])
        else:
            extra += 1
            seen.append(str(extra))
        last = ET.SubElement(element, "ph", {"id": seen[-1]})
        last.text, last.tail = code, ""
        position = match.end()
    if last is None:
        element.text += text[position:]
    else:
        last.tail += text[position:]
    return given


@lru_cache(maxsize=256)
def _codes(codes: tuple[str, ...]) -> re.Pattern[str]:
    """Any of *codes*, the longest first where several start at the same place."""
    return re.compile("|".join(map(re.escape, sorted({c for c in codes if c}, key=len, reverse=True))))


def write_po(doc: Document, target: str) -> str:
    """gettext PO: msgid the sentence, msgstr its translation, msgctxt the paragraph id;
    machine translations are fuzzy; engine and glossary in comments."""
    import polib

    po = polib.POFile(wrapwidth=0)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000")
    po.metadata = {
        "Project-Id-Version": doc.name,
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "machine translation (translator)",
        "Language-Team": "none",
        "Language": target,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"translator {__version__}",
        "X-Source-Language": doc.source_language,
    }
    engine = f"engine: {engine_summary(doc, target)}"
    glossary = ", ".join(glossary_names(doc))
    seen: dict[tuple[str, str], polib.POEntry] = {}
    for seg, i, sentence, translation in _units(doc, target):
        key = (str(seg.id), sentence)
        if key in seen:
            continue
        status = seg.status.get(target, "translated")
        entry = polib.POEntry(msgctxt=str(seg.id), msgid=sentence, msgstr=translation,
                              comment=engine + (f"; glossary: {glossary}" if glossary else "")
                              + ("" if status == "translated" else f"; {status}"),
                              occurrences=[(doc.name, str(seg.id))])
        if status == "translated":
            entry.flags.append("fuzzy")
        seen[key] = entry
        po.append(entry)
    return str(po)
