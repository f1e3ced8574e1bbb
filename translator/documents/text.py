"""Plain text: paragraphs from blank lines, every line's layout kept (:mod:`translator.segmentation`),
each paragraph's language detected on its own (boilerplate in another language); with
``--content main``, the paragraphs of the site around an article kept (:mod:`translator.site_text`)."""

from __future__ import annotations

from pathlib import PurePath

from .base import Options, Output, Translated


class TextType:
    name = "text"
    extensions = (".txt", ".text")

    def sniff(self, head: bytes) -> bool:
        return False  # the default: whatever no other type claims

    def translate(self, translator, data: bytes, *, name: str, to: list[str], source: str,
                  options: Options) -> Translated:
        from ..textio import decode

        text, encoding = decode(data, name=name, encoding=options.encoding)
        doc = translator.prepare(text, to=to, source=source, name=name, content=options.content)
        doc.encoding = encoding
        translator.translate_documents([doc])
        suffix = PurePath(name).suffix
        return Translated([Output(t, doc.text(t), f".{t}{suffix}", site_summary(doc, t)) for t in doc.targets],
                          doc.source_language, document=doc)


def site_summary(doc, target: str) -> str:
    """"en: 8 of 11 paragraphs translated, 3 kept as site chrome" when some were kept."""
    from ..document import BOILERPLATE

    kept = sum(seg.kind == BOILERPLATE for seg in doc.segments)
    if not kept:
        return ""
    return f"{target}: {len(doc.segments) - kept} of {len(doc.segments)} paragraphs translated, {kept} kept as site chrome"


TYPE = TextType()
