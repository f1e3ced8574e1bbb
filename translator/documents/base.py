"""What every document type provides, and the pieces they share.

A document type reads a file into translatable :class:`Unit` objects (text with its
inline codes: markup, placeholders, formatting runs) plus whatever it needs to rebuild
the file, and rebuilds the file from the units' translations.  The translation itself is
shared (:func:`translator.documents.units.translate_units`), so every type gets the
glossary, the memory, batching across targets and the inline-code guarantee.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..document import Document
    from ..pipeline import Translator

TEXT, CODE = "text", "code"


@dataclass
class Unit:
    """One translatable piece of a document.

    *runs* cover its source exactly, as ``("text", s)`` to translate and ``("code", s)``
    to keep (markup, placeholders, formatting boundaries).  The codes travel through the
    engines as do-not-translate pieces and must all come back; when they do not, the
    unit falls back as *fallback* says: ``"runs"``, its text runs are translated one by
    one between the original codes (the structure is kept, word order inside a run
    only); ``"keep"``, it stays untranslated and a problem is reported.
    """

    id: str  # where it comes from: "p3", "/html/body/p[2]", "unit 17", "cue 4"
    runs: list[tuple[str, str]]
    fallback: str = "runs"
    kind: str = "paragraph"  # "title", "paragraph", "attribute", "cue"...
    line: int = 0  # 1-based line in the source, when it has lines
    translate: bool = True  # False: kept as it is (boilerplate), still reported
    #: the runs as they stand in the file, when the engines get them otherwise (Markdown's
    #: soft line breaks inside markup go as spaces); a run-by-run fallback rebuilds from these
    source_runs: list[tuple[str, str]] | None = None
    whole: bool = True  # False: always translated run by run (a hard line break inside)

    @property
    def text(self) -> str:
        """What the engines get: the runs joined (codes in place)."""
        return "".join(s for _, s in self.runs)

    @property
    def codes(self) -> list[str]:
        """The inline codes that must come back (blank ones are only spacing)."""
        return [s for kind, s in self.runs if kind == CODE and s.strip()]

    @property
    def texts(self) -> list[str]:
        return [s for kind, s in self.runs if kind == TEXT]

    @classmethod
    def plain(cls, id: str, text: str, **kw: Any) -> Unit:
        return cls(id, [(TEXT, text)], **kw)


@dataclass
class Options:
    """What a run asks of every document type (each uses what applies to it)."""

    encoding: str | None = None
    max_size: int = 50_000_000
    fields: tuple[str, ...] = ("title", "description")  # Markdown front matter
    overwrite: bool = False  # PO, XLIFF: also units that have a translation
    fuzzy: bool = True  # PO: flag machine translations
    content: str = "auto"  # HTML and scraped text: "main" (the article), "all", "auto"


@dataclass
class Output:
    """One translated file."""

    target: str
    data: str | bytes
    ending: str  # the output name's ending, such as ".es.md" or ".es.po"
    summary: str = ""  # what the terminal gets: "es: 6 entries translated, 0 kept, ..."
    problems: list[str] = field(default_factory=list)  # "path:line: ..." (units left untranslated)


@dataclass
class Translated:
    """A document translated into every target: the files, and what to report."""

    outputs: list[Output]
    source_language: str
    problems: list[str] = field(default_factory=list)  # "path:line: ..." lines (left untranslated)
    document: Document | None = None  # segments for JSON and review formats, warnings, terms


class Parsed(Protocol):
    """A file read by its document type: its units, and how to rebuild it."""

    units: list[Unit]
    #: the language the file declares for its source text (XLIFF), if any
    declared_source: str | None
    #: the text the source language is detected on (all of the file's text, not only
    #: the units left to translate)
    sample: str

    def check_targets(self, targets: list[str]) -> None:
        """Refuse targets the file cannot take (a PO in another language)."""
        ...

    def verify(self, unit: Unit, translation: str) -> bool:
        """Whether *translation* kept *unit*'s inline codes."""
        ...

    def write(self, target: str, texts: dict[str, str], rebuilt: set[str],
              failed: list[tuple[Unit, str]]) -> Output:
        """The file in *target*, from each unit's text.  *rebuilt*: the ids of the units
        translated run by run; *failed*: the units left untranslated (their codes were
        lost), each with the rejected translation, for the output's problem lines."""
        ...


class DocumentType(Protocol):
    """A file format translated with its structure kept (one module per format)."""

    name: str  # "text", "markdown", "po", "html", "docx", "xliff", "srt", "vtt"
    extensions: tuple[str, ...]

    def sniff(self, head: bytes) -> bool:
        """Whether the first bytes of a file look like this format (for standard input
        and files without a known extension)."""
        ...

    def translate(self, translator: Translator, data: bytes, *, name: str, to: list[str], source: str,
                  options: Options) -> Translated:
        """Translate the file's bytes into every target; raise :class:`~translator.errors.InputError`
        for a malformed file, before anything is translated."""
        ...


class Structured:
    """Base of the document types that read a file into units and rebuild it (every type
    but plain text): :meth:`translate` is theirs, they provide :meth:`read`."""

    name = ""
    extensions: tuple[str, ...] = ()

    def sniff(self, head: bytes) -> bool:
        return False

    def read(self, data: bytes, *, name: str, options: Options) -> Parsed:
        raise NotImplementedError

    def translate(self, translator: Translator, data: bytes, *, name: str, to: list[str], source: str,
                  options: Options) -> Translated:
        from .units import merged_document, translate_units

        parsed = self.read(data, name=name, options=options)
        parsed.check_targets(to)
        if source == "auto":
            source = parsed.declared_source or translator.detect(parsed.sample, name=name).language
        targets = [t for t in to if t != source]
        done = translate_units(translator, parsed.units, source=source, targets=targets, name=name,
                               verify=parsed.verify)
        outputs = []
        for target in to:
            texts = done.texts.get(target) or {u.id: "".join(s for _, s in u.source_runs or u.runs)
                                               for u in parsed.units}
            outputs.append(parsed.write(target, texts, done.rebuilt.get(target, set()), done.failed.get(target, [])))
        document = merged_document(parsed.units, done, name=name, source=source, targets=targets)
        return Translated(outputs, source, [p for o in outputs for p in o.problems], document)
