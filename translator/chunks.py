"""Large plain-text inputs translated piece by piece, so that memory stays flat.

A document is cut at paragraph boundaries (a blank line) into pieces of about
:data:`CHUNK_CHARS` characters; a single paragraph larger than four pieces is cut after a
sentence end, else at a line break.  Each piece is prepared and translated on its own with
the document's language (detected once, on the whole text), so the pieces' outputs joined
are the document's output: segmentation rebuilds each piece exactly, and Apertium
translates every sentence on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

#: Inputs larger than this (in characters) are translated piece by piece.
THRESHOLD = 4_000_000
CHUNK_CHARS = 1_000_000
_BLANK = re.compile(r"\n[ \t\f\v]*\n")
_SENTENCE_END = re.compile(r"[.!?…»”][ \t]+(?=[A-ZÀ-ÖØ-Þ«“])")


def pieces(text: str, size: int | None = None) -> Iterator[str]:
    """*text* in consecutive pieces of about *size* characters (default :data:`CHUNK_CHARS`)
    that join back to it exactly, each ending after a blank line (or, in an overlong
    paragraph, after a sentence end or a line break)."""
    size = size or CHUNK_CHARS
    start = 0
    while len(text) - start > size:
        cut = _cut(text, start, size)
        yield text[start:cut]
        start = cut
    if start < len(text):
        yield text[start:]


def _cut(text: str, start: int, size: int) -> int:
    blank = _BLANK.search(text, start + size)
    if blank is not None and blank.end() - start <= 4 * size:
        end = blank.end()
        while end < len(text) and text[end] in "\r\n":  # the whole run of blank lines
            end += 1
        return end
    window = text[start + size:start + 4 * size]
    for pattern in (_SENTENCE_END, re.compile(r"\n")):
        m = pattern.search(window)
        if m:
            return start + size + m.end()
    return start + 4 * size


@dataclass
class Notes:
    """What the terminal reports for a document translated piece by piece."""

    name: str
    targets: list[str]
    warnings: list[str] = field(default_factory=list)
    required: int = 0
    present: int = 0
    unknown: dict[str, set[str]] = field(default_factory=dict)

    def add(self, doc) -> None:
        self.warnings += doc.warnings
        required, present = doc.term_counts()
        self.required, self.present = self.required + required, self.present + present
        for lang in doc.targets:
            self.unknown.setdefault(lang, set()).update(w for s in doc.segments for w in s.unknown_words.get(lang, []))


def translate_in_pieces(translator, text: str, *, to: list[str], source: str, name: str, write) -> Notes:
    """Translate *text* piece by piece; ``write(target, text)`` receives each piece's
    translation, in order.  Raises as :meth:`Translator.prepare` does, before anything
    is written when the first piece is refused."""
    from . import detection, languages

    document = (detection.detect(text[:CHUNK_CHARS], name=name) if source == "auto"
                else detection.Detection(languages.normalize(source, option="--from"), 1.0))
    notes = Notes(name, list(to))
    for piece in pieces(text):
        if not piece.strip() or not any(ch.isalpha() for ch in piece):
            for target in to:
                write(target, piece)
            continue
        doc = translator.prepare(piece, to=to, source=source, name=name, document=document)
        translator.translate_documents([doc])
        notes.add(doc)
        for target in doc.targets:
            write(target, doc.text(target))
    return notes
