"""TBX (ISO 30042) import and export, so glossaries move to and from Weblate and CAT tools.

Reads TBX-Basic / TBX 2008 (``martif``: termEntry > langSet > tig|ntig > term) and
TBX v3 (``tbx``: conceptEntry > langSec > termSec > term).  Writes TBX-Basic 2008,
which Weblate, OmegaT and most tools import.  The first term of a language is the
preferred form; the others become variants.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

from .errors import GlossaryError, InputError
from .glossary import Glossary, parse_rows
from .textio import read_bytes
from .tmx import parse_xml

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_tbx(path: str | os.PathLike[str]) -> Glossary:
    """Read a TBX file into a validated :class:`Glossary` (same rules as CSV)."""
    name = os.fspath(path)
    try:  # the XML reader of TMX: any declared encoding, UTF-16, entity declarations refused
        root, _ = parse_xml(read_bytes(name), name=name, what="TBX")
    except InputError as exc:
        raise GlossaryError([str(exc)]) from None
    entries = []
    for entry in root.iter():
        if _local(entry.tag) not in ("termEntry", "conceptEntry"):
            continue
        forms: dict[str, list[str]] = {}
        note = ""
        for lang_set in entry:
            if _local(lang_set.tag) in ("descrip", "note") and not note:
                note = " ".join("".join(lang_set.itertext()).split())
            if _local(lang_set.tag) not in ("langSet", "langSec"):
                continue
            lang = (lang_set.get(XML_LANG) or lang_set.get("lang") or "").lower()
            for element in lang_set.iter():
                if _local(element.tag) == "term":
                    text = " ".join("".join(element.itertext()).split())
                    if text:
                        forms.setdefault(lang, []).append(text)
        entries.append((forms, note))
    declared = (root.get(XML_LANG) or "").lower()
    langs: list[str] = [declared] if any(declared in forms for forms, _ in entries) else []
    for forms, _ in entries:
        for lang in forms:
            if lang not in langs:
                langs.append(lang)
    if not entries or not langs:
        raise GlossaryError([f"{name}: no termEntry with terms: is this a TBX file?"])
    rows = [langs + ["note"]]
    for forms, note in entries:
        rows.append(["|".join(forms.get(lang, [])) for lang in langs] + [note])
    return parse_rows(rows, name)


def write_tbx(glossary: Glossary, *, source_language: str | None = None) -> str:
    """The glossary as a TBX-Basic document (string)."""
    source_language = source_language or glossary.source_language
    langs = sorted(glossary.languages, key=lambda l: (l != source_language, l))
    root = ET.Element("martif", {"type": "TBX-Basic", XML_LANG: source_language or (langs[0] if langs else "en")})
    header = ET.SubElement(root, "martifHeader")
    file_desc = ET.SubElement(header, "fileDesc")
    source_desc = ET.SubElement(ET.SubElement(file_desc, "sourceDesc"), "p")
    source_desc.text = "Exported by translator from " + ", ".join(Path(n).name for n in glossary.names)
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for number, concept in enumerate(glossary.concepts, 1):
        entry = ET.SubElement(body, "termEntry", {"id": f"c{number}"})
        if concept.note:
            ET.SubElement(entry, "descrip", {"type": "definition"}).text = concept.note
        forms = concept.forms
        if concept.dnt:
            keep = next(iter(forms.values()))
            forms = {lang: forms.get(lang, keep) for lang in langs}
        for lang in langs:
            if lang not in forms:
                continue
            lang_set = ET.SubElement(entry, "langSet", {XML_LANG: lang})
            for form in forms[lang]:
                ET.SubElement(ET.SubElement(lang_set, "tig"), "term").text = form
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_csv(glossary: Glossary) -> str:
    """The glossary as our CSV layout (header of languages, note, dnt, case)."""
    import csv
    import io

    langs = sorted(glossary.languages, key=lambda l: (l != glossary.source_language, l))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(langs + ["note", "dnt", "case"])
    for c in glossary.concepts:
        case = "" if c.case_sensitive is None else ("sensitive" if c.case_sensitive else "insensitive")
        writer.writerow(["|".join(c.forms.get(l, ())) for l in langs] + [c.note, "yes" if c.dnt else "", case])
    return out.getvalue()
