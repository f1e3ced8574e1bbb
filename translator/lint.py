"""Checking existing translations against a glossary, with no engine.

Every glossary term of a source segment must appear, in its required form, in the
aligned segment of the translation.  Three inputs:

- a source file and its translation (text or Markdown, aligned paragraph by paragraph);
- a gettext PO file (msgid against msgstr, language from ``--to`` or the header);
- the JSON, TMX and XLIFF this tool writes (``--format json|tmx|xliff``), and its PO.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .glossary import Glossary, contains, should_be
from .segmentation import segment
from .terms import find_terms
from .textio import read_text


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | str
    term: str
    required: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {should_be(self.term, self.required)}"


def check_pair(glossary: Glossary, source: str, translation: str, source_lang: str, target: str) -> list[tuple[str, str]]:
    """(term, required form) for each term of *source* missing from *translation*."""
    missing = []
    for term in find_terms(glossary, source, source_lang):
        required = term.required(target)
        if required and not contains(translation, required, case_sensitive=term.case_sensitive(target)):
            missing.append((term.matched, required))
    return missing


def _block_lines(text: str, layout) -> list[int]:
    """The line number where each block of *text* (segmented as *layout*) starts."""
    lines, offset = [], len(layout.head)
    for i, block in enumerate(layout.blocks):
        lines.append(text.count("\n", 0, offset) + 1)
        offset += len(block.source) + (len(layout.gaps[i]) if i < len(layout.gaps) else 0)
    return lines


def lint_files(glossary: Glossary, source_path: str, translation_path: str, *, source_lang: str,
               target: str) -> list[Problem]:
    source, _ = read_text(source_path)
    translation, _ = read_text(translation_path)
    src_blocks = segment(source, source_lang).blocks
    tgt_layout = segment(translation, target)
    if len(src_blocks) != len(tgt_layout.blocks):
        raise InputError(f"cannot align with {source_path}: {len(tgt_layout.blocks)} paragraphs "
                         f"against {len(src_blocks)}", path=translation_path)
    problems = []
    for src, tgt, line in zip(src_blocks, tgt_layout.blocks, _block_lines(translation, tgt_layout)):
        for term, required in check_pair(glossary, src.source, tgt.source, source_lang, target):
            problems.append(Problem(translation_path, line, term, required))
    return problems


def lint_po(glossary: Glossary, path: str, *, source_lang: str, target: str | None) -> list[Problem]:
    from .catalog import read_catalog

    catalog = read_catalog(path)
    target = target or (catalog.metadata.get("Language") or "").split("_")[0].lower()
    if not target:
        raise InputError("no Language in the PO header: pass --to LANG", path=path)
    problems = []
    for entry in catalog:
        if entry.obsolete:
            continue
        pairs = [(entry.msgid, entry.msgstr)] if not entry.msgid_plural else \
            [(entry.msgid if k == 0 else entry.msgid_plural, v) for k, v in sorted(entry.msgstr_plural.items())]
        for source, translation in pairs:
            if not translation:
                continue
            for term, required in check_pair(glossary, source, translation, source_lang, target):
                problems.append(Problem(path, entry.linenum, term, required))
    return problems


def lint_json(glossary: Glossary, path: str) -> list[Problem]:
    """Our ``--format json`` output (one object per line)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        documents = [json.loads(line) for line in lines if line.strip()]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"not the JSON output of translate: {exc}", path=path) from None
    problems = []
    for doc in documents:
        for seg in doc.get("segments", []):
            for target, translation in seg.get("translations", {}).items():
                if seg.get("status", {}).get(target) == "unchanged":
                    continue
                for term, required in check_pair(glossary, seg["source"], translation, seg["language"], target):
                    problems.append(Problem(path, f"segment {seg['id']}", term, required))
    return problems


def _xml_units(path: str, source_lang: str):
    """(where, source language, source, target language, target) from XLIFF 1.2 or TMX
    (TMX through the reader ``memory import`` uses; *source_lang* for ``srclang="*all*"``)."""
    from .textio import read_bytes
    from .tmx import local, parse_xml, tmx_from_tree

    what = "TMX" if path.lower().endswith(".tmx") else "XLIFF"
    root, lines = parse_xml(read_bytes(path), name=path, what=what)
    if local(root.tag) == "tmx" or what == "TMX":
        for unit, src, tgt in tmx_from_tree(root, lines, path).pairs(source_lang):
            yield unit.label, src, unit.variants[src], tgt, unit.variants[tgt]
        return
    for file_el in (el for el in root.iter() if local(el.tag) == "file"):
        src_lang, tgt_lang = file_el.get("source-language", ""), file_el.get("target-language", "")
        for unit in (el for el in file_el.iter() if local(el.tag) == "trans-unit"):
            source = next((el for el in unit if local(el.tag) == "source"), None)
            target = next((el for el in unit if local(el.tag) == "target"), None)
            if source is not None and target is not None:
                yield f"trans-unit {unit.get('id')}", src_lang, "".join(source.itertext()), tgt_lang, \
                    "".join(target.itertext())


def lint_xml(glossary: Glossary, path: str, *, source_lang: str = "fr") -> list[Problem]:
    """Our TMX and XLIFF outputs (or any TMX 1.4 / XLIFF 1.2 file)."""
    problems = []
    for where, src_lang, source, tgt_lang, target in _xml_units(path, source_lang):
        for term, required in check_pair(glossary, source, target, src_lang.split("-")[0], tgt_lang.split("-")[0]):
            problems.append(Problem(path, where, term, required))
    return problems


def lint(glossary: Glossary, paths: list[str], *, source_lang: str = "fr", target: str | None = None) -> list[Problem]:
    """Dispatch on the inputs: ``SOURCE TRANSLATION``, or ``.po``, ``.json``, ``.tmx``, ``.xlf`` files."""
    if len(paths) == 2 and not paths[0].endswith((".po", ".pot", ".json", ".tmx", ".xlf", ".xliff")):
        if not target:
            raise InputError("which language is the translation in? pass --to LANG", path=paths[1])
        return lint_files(glossary, paths[0], paths[1], source_lang=source_lang, target=target)
    problems = []
    for path in paths:
        suffix = os.path.splitext(path)[1].lower()
        if suffix == ".po":
            problems += lint_po(glossary, path, source_lang=source_lang, target=target)
        elif suffix == ".json":
            problems += lint_json(glossary, path)
        elif suffix in (".tmx", ".xlf", ".xliff"):
            problems += lint_xml(glossary, path, source_lang=source_lang)
        else:
            raise InputError("lint takes SOURCE TRANSLATION, or .po, .json, .tmx or .xlf files", path=path)
    return problems
