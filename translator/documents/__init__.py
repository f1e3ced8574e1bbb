"""Document types: one module per file format, picked by extension or by content.

Each module of this package defines ``TYPE``, a :class:`~translator.documents.base.DocumentType`
(most read the file into units and rebuild it: :class:`~translator.documents.base.Structured`).
Adding a format is one module and one line in :data:`MODULES`.  The command line, the
hooks, ``Translator.translate_file`` and the batch runner all go through :func:`translate_bytes`.
"""

from __future__ import annotations

import functools
import os
from importlib import import_module
from pathlib import Path

from ..errors import InputError, UsageError
from .base import DocumentType, Options, Output, Translated, Unit

#: Document type name (its module's name) -> its file endings, and bytes its content test
#: cannot pass without (None: no such bytes).  Sniffing tries them in this order; text comes
#: last.  Kept here so that matching a file's name or recognising a plain text imports no
#: other type's module (their helpers take about 15 ms to import, a small run's budget);
#: tests/test_documents_registry.py checks both against the modules.
MODULES: dict[str, tuple[tuple[str, ...], bytes | None]] = {
    "markdown": ((".md", ".markdown"), None),
    "po": ((".po", ".pot"), b"msgid"),
    "xliff": ((".xlf", ".xliff"), b"xliff"),
    "srt": ((".srt",), b"-->"),
    "vtt": ((".vtt",), b"WEBVTT"),
    "docx": ((".docx",), b"PK\x03\x04"),
    "html": ((".html", ".htm", ".xhtml"), b"<"),
    "text": ((".txt", ".text"), None),
}

#: Magic numbers of formats we are asked about but do not translate.
_REFUSED = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (ODT, EPUB, XLSX, ...)"),
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (.doc, .xls)"), (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "a program"),
)


@functools.cache
def _type(module: str) -> DocumentType:
    return import_module(f".{module}", __name__).TYPE


def names() -> list[str]:
    """The document types, as ``--input-format`` takes them."""
    return list(MODULES)


def by_name(name: str) -> DocumentType:
    if name not in MODULES:
        raise UsageError(f"--input-format: unknown document type {name!r} (known: auto, {', '.join(MODULES)})")
    return _type(name)


def extensions(name: str) -> tuple[str, ...]:
    """The file endings of the document type *name* (without importing it)."""
    return MODULES[name][0]


def all_extensions() -> tuple[str, ...]:
    """The file endings of every document type."""
    return tuple(e for endings, _ in MODULES.values() for e in endings)


def supported() -> str:
    """The types and their file endings, for messages."""
    return ", ".join(f"{n} ({' '.join(extensions(n))})" for n in MODULES)


def for_file(name: str, head: bytes, *, forced: str | None = None) -> tuple[DocumentType, str | None]:
    """The document type of a file (from ``--input-format``, its extension, else its first
    bytes), and a warning when its content contradicts its name."""
    if forced and forced != "auto":
        return by_name(forced), None
    lower = name.lower()
    by_extension = next((_type(n) for n in MODULES if lower.endswith(extensions(n))), None)
    refused = next((what for magic, what in _REFUSED if head.startswith(magic)), None)
    binary = getattr(by_extension, "binary", False)  # a binary type explains its own refusals best
    if refused and not binary and _sniff(head).name == "text":  # a PNG named .html
        raise InputError(f"{refused}: not a supported document type; supported: {supported()}", path=name)
    if by_extension is None:
        return _sniff(head), None
    warning = None
    if by_extension.name == "text" and (sniffed := _sniff(head)).name != "text":
        warning = (f"looks like {sniffed.name}, translated as plain text: "
                   f"pass --input-format {sniffed.name} to keep its structure")
    return by_extension, warning


def _sniff(head: bytes) -> DocumentType:
    """The first type whose content test *head* passes (text when none does); a type's
    module is imported only when *head* holds the bytes its test needs (:data:`MODULES`)."""
    return next((_type(n) for n in MODULES if _may_be(n, head) and _type(n).sniff(head)), None) or _type("text")


def _may_be(name: str, head: bytes) -> bool:
    needed = MODULES[name][1]
    return needed is None or needed in head


def decode_text(data: bytes, *, name: str, encoding: str | None = None) -> tuple[str, str]:
    """A text file's bytes decoded (:func:`translator.textio.decode`)."""
    from ..textio import decode

    return decode(data, name=name, encoding=encoding)


def translate_bytes(translator, data: bytes, *, name: str, to: list[str], source: str = "auto",
                    doctype: DocumentType, options: Options | None = None) -> Translated:
    """Translate a file's bytes with its document type into every language of *to*."""
    return doctype.translate(translator, data, name=name, to=to, source=source, options=options or Options())


def output_path(source: str | os.PathLike[str], output: Output, out_dir: str | os.PathLike[str] | None = None) -> Path:
    """``article.md`` -> ``article.es.md`` (the output's ending) beside the input or under *out_dir*."""
    from ..textio import derived_path

    return derived_path(source, output.ending, out_dir)


__all__ = ["DocumentType", "MODULES", "Options", "Output", "Translated", "Unit", "all_extensions", "by_name",
           "extensions", "for_file", "names", "output_path", "supported", "translate_bytes"]
