"""The sentence pairs of an edited translation that a person changed, for any document type.

``translate-sync --accept FILE`` records a hand-edited translation as approved and puts
the sentences a person changed into the memory as human translations.  What a file's
sentences are depends on its type: plain text and Markdown are segmented as they are; the
other monolingual types (HTML, Word, subtitles) give the text of each translatable unit, as
they give it to the engines; a gettext catalog pairs each ``msgid`` with its ``msgstr``, so
nothing needs aligning; XLIFF pairs each unit's source with its target, and the sentences of
each unit whose target differs from the machine's are aligned within that unit.
"""

from __future__ import annotations

from collections.abc import Callable

from . import documents
from .alignment import sentence_pairs
from .memory import normalize
from .textio import decode

def sentences(text: str, lang: str) -> list[list[str]]:
    """The non-empty paragraphs of *text* as lists of sentences."""
    from .segmentation import segment

    paragraphs = [[s.strip() for u in block.units for s in u.sentences if s.strip()]
                  for block in segment(text, lang).blocks]
    return [p for p in paragraphs if p]


def edited_pairs(name: str, source: bytes, edited: bytes, machine: str | bytes, *, source_lang: str,
                 target: str) -> tuple[str, list[tuple[str, str]], int]:
    """The source language (*source_lang*, detected when ``"auto"``), the (source, human)
    sentence pairs of the edited translation *edited* of *source* that differ from the
    machine translation *machine*, and how many pairs were aligned."""
    doctype, _ = documents.for_file(name, source[:8192])
    machine_bytes = machine.encode("utf-8") if isinstance(machine, str) else machine
    texts = _texts_of(doctype, name)
    source_texts = texts(source)
    if source_lang == "auto":
        from .detection import detect

        source_lang = detect("\n\n".join(source_texts), name=name).language
    if doctype.name == "po":
        by_machine = dict(_catalog_pairs(machine_bytes, name))
        pairs = _catalog_pairs(edited, name)
        return source_lang, [(s, t) for s, t in pairs if by_machine.get(s) != t], len(pairs)

    if doctype.name == "xliff":
        return source_lang, *_unit_pairs(doctype, name, edited, machine_bytes, source_lang, target)

    def paragraphs(found: list[str], lang: str) -> list[list[str]]:
        return [p for text in found for p in sentences(text, lang)]

    by_machine = {normalize(s) for p in paragraphs(texts(machine_bytes), target) for s in p}
    pairs = sentence_pairs(paragraphs(source_texts, source_lang), paragraphs(texts(edited), target))
    return source_lang, [(s, t) for s, t in pairs if normalize(t) not in by_machine], len(pairs)


def _texts_of(doctype, name: str) -> Callable[[bytes], list[str]]:
    """How to read a file of *doctype* into its texts: the whole text for plain text and
    Markdown (segmented later), each translatable unit's text for the other types."""
    def plain(data: bytes) -> list[str]:
        return [decode(data, name=name)[0]]

    def structured(data: bytes) -> list[str]:
        parsed = doctype.read(data, name=name, options=documents.Options())
        return ["".join(unit.texts) for unit in parsed.units]

    return plain if doctype.name in ("text", "markdown", "po") else structured


def _unit_pairs(doctype, name: str, edited: bytes, machine: bytes, source_lang: str,
                target: str) -> tuple[list[tuple[str, str]], int]:
    """XLIFF: the edited sentence pairs of the units whose target differs from the machine's,
    each unit's sentences aligned within it, and how many pairs were aligned in all."""
    def read(data: bytes) -> list[tuple[str, str, str]]:
        return doctype.read(data, name=name, options=documents.Options(overwrite=True)).translated()

    by_machine = {uid: text for uid, _, text in read(machine)}
    changed, total = [], 0
    for uid, source, text in read(edited):
        if not source.strip() or not text.strip():
            continue
        pairs = sentence_pairs(sentences(source, source_lang), sentences(text, target))
        total += len(pairs)
        if text != by_machine.get(uid):
            machine_sentences = {normalize(s) for p in sentences(by_machine.get(uid) or "", target) for s in p}
            changed += [(s, t) for s, t in pairs if normalize(t) not in machine_sentences]
    return changed, total


def _catalog_pairs(data: bytes, name: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) of a catalog's translated singular entries, obsolete ones left out."""
    import polib

    catalog = polib.pofile(decode(data, name=name)[0])
    return [(e.msgid, e.msgstr) for e in catalog if e.msgid and e.msgstr and not e.obsolete and not e.msgid_plural]
