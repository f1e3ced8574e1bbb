"""Shared pieces of the review formats, and the Markdown side-by-side table."""

from __future__ import annotations

from ..document import Document, Segment
from ..languages import name as language_name


def label(lang: str, source: bool = False) -> str:
    return f"{language_name(lang)} ({lang})" + (", source" if source else "")


def engine_summary(doc: Document, target: str) -> str:
    info = doc.engine.get(target, {})
    if not info or info.get("name") == "none":
        return "none"
    return f"{info['name']} {info['version']} ({'>'.join(info['route'])})"


def glossary_names(doc: Document) -> list[str]:
    from pathlib import Path

    names = {Path(t["glossary"].rsplit(":", 1)[0]).name for s in doc.segments
             for terms in s.terms.values() for t in terms}
    return sorted(names)


def segment_text(seg: Segment, lang: str, source_lang: str) -> str:
    return seg.source if lang == source_lang else seg.translations.get(lang, "")


def write_markdown(doc: Document, targets: list[str]) -> str:
    """One table, a row per paragraph, a column per language: readable on GitHub."""
    langs = [doc.source_language, *targets]

    def cell(text: str) -> str:
        return text.strip().replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>") or " "

    lines = [f"# {doc.name}", "",
             "Machine translation for review: " + "; ".join(f"{t}: {engine_summary(doc, t)}" for t in targets),
             "",
             "| " + " | ".join(label(l, l == doc.source_language) for l in langs) + " |",
             "|" + "---|" * len(langs)]
    for seg in doc.segments:
        lines.append("| " + " | ".join(cell(segment_text(seg, l, doc.source_language)) for l in langs) + " |")
    return "\n".join(lines) + "\n"
