"""translator: offline translation and localization for newsrooms.

Public API::

    from translator import Translator, translate_text, translate_file

    t = Translator(engine="auto")              # keep it: models stay loaded
    doc = t.translate_text(text, to=["en", "es"])
    doc.source_language, doc.segments, doc.text("es")

Errors are subclasses of :class:`translator.errors.TranslatorError`.
Heavy libraries (ctranslate2, sentencepiece, langdetect) load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

__all__ = [
    "Document", "Segment", "Translator", "TranslatorError", "__version__",
    "translate_file", "translate_html", "translate_text",
]

if TYPE_CHECKING:  # real types for type checkers; at run time the names load lazily
    from .document import Document, Segment
    from .documents.html import translate_html
    from .errors import TranslatorError
    from .pipeline import Translator, translate_file, translate_text

_LAZY = {"Translator": "pipeline", "translate_text": "pipeline", "translate_file": "pipeline",
         "Document": "document", "Segment": "document", "TranslatorError": "errors",
         "translate_html": "documents.html"}


def __getattr__(name: str) -> Any:  # lazy, so 'import translator' stays cheap
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'translator' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)
