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

__version__ = "0.1.0"

__all__ = [
    "Document", "Segment", "Translator", "TranslatorError", "__version__",
    "translate_file", "translate_text",
]


def __getattr__(name: str):  # lazy, so 'import translator' stays cheap
    if name in ("Translator", "translate_text", "translate_file"):
        from . import pipeline

        return getattr(pipeline, name)
    if name in ("Document", "Segment"):
        from . import document

        return getattr(document, name)
    if name == "TranslatorError":
        from .errors import TranslatorError

        return TranslatorError
    raise AttributeError(name)
