"""A publishing tool using the public API; ``mypy --strict`` must accept it as written."""

from __future__ import annotations

from translator import Document, Segment, Translator, TranslatorError, __version__, translate_file, translate_text


def publish(text: str, targets: list[str]) -> dict[str, str]:
    try:
        with Translator(engine="apertium", glossary="news") as translator:
            doc: Document = translator.translate_text(text, to=targets, source="fr")
    except TranslatorError as exc:
        return {"error": f"{exc} (exit {int(exc.exit_code)})"}
    first: Segment = doc.segments[0]
    required, present = doc.term_counts()
    summary = {lang: doc.text(lang) for lang in doc.targets}
    summary["_title"] = first.translations.get(targets[0], "")
    summary["_terms"] = f"{present}/{required}"
    return summary


def batch(articles: dict[str, str]) -> list[str]:
    translator = Translator(engine="auto", beam_size=2, threads=1)
    docs = [translator.prepare(text, to="en,es", name=name) for name, text in articles.items()]
    done = translator.translate_documents(docs)
    translator.close()
    return [d.text("en") for d in done]


def one_shot(path: str) -> str:
    version: str = __version__
    return version + translate_file(path, to="es").text("es") + translate_text("Bonjour.", to=["en"]).text("en")
