"""The result of a translation: a document, its segments and per-target texts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .segmentation import Layout

JSON_FORMAT_VERSION = 1
#: The kind of a segment that is the site around an article, kept as it is (``--content main``).
BOILERPLATE = "boilerplate"


@dataclass
class Segment:
    """A title or paragraph of the source, with its translations."""

    id: int
    kind: str  # "title", "paragraph", or "boilerplate" (site text kept as is: --content main)
    language: str
    confidence: float
    source: str
    sentences: list[str]
    translations: dict[str, str] = field(default_factory=dict)
    #: target -> the translation of each of ``sentences``, in order
    sentence_translations: dict[str, list[str]] = field(default_factory=dict)
    #: target -> "translated", "unchanged" (already in that language) or "no-route"
    status: dict[str, str] = field(default_factory=dict)
    unknown_words: dict[str, list[str]] = field(default_factory=dict)
    #: target -> glossary terms: {"sentence", "term", "required", "ok", "glossary"}
    terms: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: where it comes from in a structured file: "/html/body/p[2]", "unit 17", "cue 4"
    ref: str = ""
    #: the inline codes of its unit in a structured file (markup, placeholders), as they stand
    #: in its sentences and translations: the exchange formats mark them as codes
    codes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "language": self.language,
            "source": self.source,
            "sentences": self.sentences,
            "translations": self.translations,
            "status": self.status,
        }
        if self.ref:
            data["ref"] = self.ref
        if self.terms:
            data["terms"] = self.terms
        if any(self.unknown_words.values()):
            data["unknown_words"] = {k: v for k, v in self.unknown_words.items() if v}
        return data


@dataclass
class Document:
    """A source document and, once translated, its text in every target language."""

    name: str
    source_language: str
    confidence: float
    targets: list[str]
    segments: list[Segment]
    layout: Layout
    encoding: str = "utf-8"
    engine: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    _texts: dict[str, str] = field(default_factory=dict, repr=False)
    #: a structured file (Markdown, HTML, Word...) translated: target -> the whole file
    outputs: dict[str, str | bytes] = field(default_factory=dict, repr=False)

    def data(self, lang: str) -> bytes:
        """The translated file as bytes, in the format it came in."""
        out = self.outputs.get(lang, self._texts.get(lang))
        if out is None:
            raise KeyError(lang)
        return out if isinstance(out, bytes) else out.encode("utf-8")

    def text(self, lang: str) -> str:
        """The whole translated document, with the source's whitespace and blank lines."""
        out = self.outputs.get(lang)
        if isinstance(out, bytes):
            from .errors import UsageError

            raise UsageError(f"{self.name} is a binary document: use data({lang!r}) for its bytes")
        return out if out is not None else self._texts[lang]

    @property
    def source(self) -> str:
        return self.layout.join([s.source for s in self.segments])

    def term_counts(self) -> tuple[int, int]:
        """(terms required, terms present) over every segment and target."""
        found = [t for s in self.segments for terms in s.terms.values() for t in terms]
        return len(found), sum(t["ok"] for t in found)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form documented in the README."""
        return {
            "format_version": JSON_FORMAT_VERSION,
            "file": self.name,
            "source_language": self.source_language,
            "targets": self.targets,
            "engine": self.engine,
            "segments": [s.to_dict() for s in self.segments],
            "warnings": self.warnings,
        }
