"""Translating the units of any document type, inline codes guaranteed.

Every unit's text goes to the engines once for all targets, its inline codes as
do-not-translate pieces on top of the glossary.  A translation that lost a code (or
changed how often it appears) is not used: the unit's text runs are then translated one
by one between the original codes, in one more batch for every target at once, or the
unit is left as it is and reported, as its ``fallback`` says.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .base import CODE, TEXT, Unit

if TYPE_CHECKING:
    from ..document import Document

PROTECTED = "protected "  # the origin of the do-not-translate terms inline codes travel as


@dataclass
class UnitTranslations:
    """The units of one document in every target."""

    texts: dict[str, dict[str, str]]  # target -> unit id -> translated text (the source when kept)
    #: target -> the units left untranslated, each with the translation that lost its codes
    failed: dict[str, list[tuple[Unit, str]]] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)  # unit text -> its translation's document
    rebuilt: dict[str, set[str]] = field(default_factory=dict)  # target -> ids translated run by run


def runs_by_pattern(pattern, text: str) -> list[tuple[str, str]]:
    """*text* as runs: every match of *pattern* (a compiled regex) a code, the rest text."""
    runs, last = [], 0
    for m in pattern.finditer(text):
        if m.start() > last:
            runs.append((TEXT, text[last:m.start()]))
        runs.append((CODE, m.group(0)))
        last = m.end()
    if last < len(text):
        runs.append((TEXT, text[last:]))
    return runs


def kept(unit: Unit, translated: str) -> bool:
    """Every code of *unit* came back, at least as often as in the source (codes are taken
    out longest first, so that the "*" of "*](url)" does not count for a lone "*"), and no
    two codes that held words between them in the source hold none in the translation:
    fr->ca gave "Le <a href="/x">lien</a> est rouge." as "L'enllaç <a href="/x"></a> és
    vermell.", every code back and the link empty."""
    rest = translated
    for piece, count in sorted(Counter(unit.codes).items(), key=lambda kv: -len(kv[0])):
        if rest.count(piece) < count:
            return False
        rest = rest.replace(piece, "\x00", count)
    return not emptied(unit, translated)


def emptied(unit: Unit, translated: str) -> bool:
    """Two codes that held words between them in *unit* hold none in *translated* (the
    words moved out of a link or a bold pair)."""
    held, touching = _neighbours(unit.runs)
    return bool((held - touching) & _neighbours(_code_runs(translated, set(unit.codes)))[1])


def _neighbours(runs: list[tuple[str, str]]) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The pairs of successive codes of *runs* (blank codes, mere spacing, left out): those
    with words between them, and those with none."""
    held, touching = set(), set()
    previous, words = None, False
    for kind, piece in runs:
        if kind == CODE and piece.strip():
            if previous is not None:
                (held if words else touching).add((previous, piece))
            previous, words = piece, False
        else:
            words = words or _translatable(piece)
    return held, touching


def _code_runs(text: str, codes: set[str]) -> list[tuple[str, str]]:
    """*text* as runs, each occurrence of *codes* a code (longest first, not overlapping)."""
    taken = bytearray(len(text))
    found = []
    for piece in sorted(filter(str.strip, codes), key=len, reverse=True):
        at = text.find(piece)
        while at != -1:
            if not any(taken[at:at + len(piece)]):
                found.append((at, piece))
                taken[at:at + len(piece)] = b"\x01" * len(piece)
            at = text.find(piece, at + 1)
    runs, last = [], 0
    for at, piece in sorted(found):
        runs += [(TEXT, text[last:at]), (CODE, piece)]
        last = at + len(piece)
    return runs + [(TEXT, text[last:])]


def edge(run: str, translated: str) -> str:
    """Keep a run's leading and trailing spaces around its translation."""
    lead = run[: len(run) - len(run.lstrip())]
    trail = run[len(run.rstrip()):]
    return lead + translated.strip() + trail if translated.strip() else run


def _translatable(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def translate_units(translator, units: list[Unit], *, source: str, targets: list[str], name: str,
                    verify: Callable[[Unit, str], bool] = kept) -> UnitTranslations:
    """Translate *units* from *source* into every language of *targets*.

    *verify(unit, translation)* says whether a translation kept the unit's codes
    (default: :func:`kept`)."""
    from ..terms import translate_protected

    todo = [u for u in units if u.translate and _translatable(u.text)]
    texts = list(dict.fromkeys(u.text for u in todo if u.whole))
    protected = {u.text: u.codes for u in todo if u.codes}
    documents: dict[str, Document] = {}
    every = (translate_protected(translator, texts, source, targets, name, protected, documents=documents)
             if targets and texts else {t: {} for t in targets})
    lost = {t: [u for u in todo if not u.whole or not verify(u, every[t][u.text])] for t in targets}
    runs = sorted({r for t in targets for u in lost[t] if u.fallback == "runs" for r in _texts(u)
                   if _translatable(r) and r not in every[t]})
    if runs:  # one more batch, for every target at once
        extra = translate_protected(translator, runs, source, targets, name, {})
        for t in targets:
            every[t].update({r: extra[t][r] for r in runs if r not in every[t]})
    result = UnitTranslations({}, {t: [(u, every[t][u.text]) for u in lost[t] if u.fallback != "runs"]
                                   for t in targets}, documents)
    chosen = {id(u) for u in todo}
    for t in targets:
        failed = {id(u) for u in lost[t]}
        table = result.texts[t] = {}
        rebuilt = result.rebuilt[t] = set()
        for unit in units:
            if id(unit) not in chosen or (id(unit) in failed and unit.fallback != "runs"):
                table[unit.id] = _source(unit)
            elif id(unit) in failed:
                table[unit.id] = "".join(edge(s, every[t].get(s, s)) if kind == TEXT else s
                                         for kind, s in unit.source_runs or unit.runs)
                rebuilt.add(unit.id)
            else:
                table[unit.id] = every[t][unit.text]
    return result


def _texts(unit: Unit) -> list[str]:
    return [s for kind, s in unit.source_runs or unit.runs if kind == TEXT]


def _source(unit: Unit) -> str:
    return "".join(s for _, s in unit.source_runs or unit.runs)


def merged_document(units: list[Unit], done: UnitTranslations, *, name: str, source: str, targets: list[str]):
    """One :class:`~translator.document.Document` for the whole file, for JSON and the review
    formats: the segments of every translated unit in order, each pointing back to its unit."""
    from ..document import Document, Segment
    from ..segmentation import segment

    segments: list[Segment] = []
    engine: dict = {}
    warnings: list[str] = []
    for unit in units:
        doc = done.documents.get(unit.text)
        if doc is None:  # kept as it is (no letters, not to translate)
            text = _source(unit)
            seg = Segment(len(segments) + 1, unit.kind, source, 1.0, text, [text], ref=unit.id,
                          codes=list(unit.codes))
            for t in targets:
                seg.translations[t] = done.texts[t][unit.id]
                seg.sentence_translations[t] = [done.texts[t][unit.id]]
                seg.status[t] = ("translated" if unit.id in done.rebuilt.get(t, ()) else
                                 "unchanged" if unit.translate else "kept")
            segments.append(seg)
            continue
        engine = engine or doc.engine
        warnings += [f"{unit.id}: {w}" for w in doc.warnings]
        codes = " ".join(unit.codes)
        for original in doc.segments:  # copies: units with the same text share one document
            seg = replace(original, id=len(segments) + 1, ref=unit.id, translations=dict(original.translations),
                          codes=list(unit.codes),
                          kind=unit.kind if len(doc.segments) == 1 else original.kind,
                          # the inline codes travelled as protected terms: they are not the glossary's,
                          # and the words inside them are not unknown words of the text
                          terms={t: [x for x in terms if not x["glossary"].startswith(PROTECTED)]
                                 for t, terms in original.terms.items()},
                          unknown_words={t: [w for w in words if w not in codes]
                                         for t, words in original.unknown_words.items()})
            if len(doc.segments) == 1:  # the unit's final text: a code fallback may have replaced it
                seg.sentence_translations = dict(original.sentence_translations)
                for t in targets:
                    final = done.texts[t][unit.id]
                    if final != original.translations.get(t):
                        seg.translations[t], seg.sentence_translations[t] = final, [final]
            segments.append(seg)
    layout = segment("", source)
    return Document(name, source, 1.0, list(targets), segments, layout, engine=engine, warnings=warnings)


__all__ = ["CODE", "TEXT", "UnitTranslations", "edge", "kept", "merged_document", "runs_by_pattern",
           "translate_units"]
