"""Translating article rows on Ray actors: one loaded :class:`~translator.Translator` per actor.

:class:`ArticleTranslator` is the callable class given to ``map_batches``: Ray builds
it once per actor (models load once), then calls it with batches of rows.  Plain texts
of a batch are translated together, as ``translate`` translates the files it is given;
Markdown and PO files one by one, through the same functions ``translate`` uses, so an
article's output is what ``translate FILE`` writes for it.  An article that fails
(unreadable, undetectable, no route, an engine error) becomes a failed result with one
line saying why; the other articles of its batch are translated all the same.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ..errors import TranslatorError
from ..markdown import DEFAULT_FIELDS

#: Columns of a result, in order (str or int values, never None).
RESULT_COLUMNS = ("part", "idx", "id", "name", "status", "error", "hash", "stamp", "sentences", "result")
TABLE_EXTRA = ("source_language", "route", "terms", "warnings")


def output_columns(text_field: str, targets) -> tuple[str, ...]:
    """The columns a table row gains: its text per target (``text_es``), then the rest."""
    return tuple(f"{text_field}_{lang}" for lang in targets) + TABLE_EXTRA


@dataclass(frozen=True)
class Settings:
    """What every actor needs; pickled into each actor once."""

    targets: tuple[str, ...]
    source: str = "auto"
    engine: str = "auto"
    beam_size: int = 4
    threads: int = 0
    glossary: Any = None  # a loaded Glossary: files need not exist on the workers
    memory: str | None = None  # an absolute path
    device: str = "cpu"
    text_field: str = "text"
    fields: tuple[str, ...] = DEFAULT_FIELDS  # Markdown front matter to translate


def make_translator(settings: Settings):
    from ..pipeline import Translator

    memory = None
    if settings.memory:
        from ..memory import Memory

        memory = Memory(settings.memory)
    translator = Translator(engine=settings.engine, beam_size=settings.beam_size, threads=settings.threads,
                            glossary=settings.glossary, memory=memory)
    for engine in translator.engines:
        if hasattr(engine, "device"):
            engine.device = settings.device
    return translator


class ArticleTranslator:
    """The ``map_batches`` callable class: rows of :mod:`.readers` in, results out."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.translator = make_translator(settings)

    def __call__(self, batch) -> dict[str, list]:
        results = translate_rows(self.translator, batch.to_pylist(), self.settings)
        return {c: [r[c] for r in results] for c in RESULT_COLUMNS}


def translate_rows(translator, rows: list[dict], settings: Settings) -> list[dict]:
    """One result per row, in the order of *rows*."""
    done: dict[tuple[int, int], dict] = {}
    texts = []
    for row in rows:
        key = (row["part"], row["idx"])
        try:
            if row["kind"] == "error":
                done[key] = _failed(row, row["error"])
            elif row["kind"] == "text":
                texts.append((row, *_text(row)))
            elif row["kind"] == "markdown":
                done[key] = _markdown(translator, row, settings)
            else:
                done[key] = _catalog(translator, row, settings)
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the others
            done[key] = _failed(row, _line(row, exc))
    for row, result in _texts(translator, texts, settings):
        done[(row["part"], row["idx"])] = result
    return [done[(r["part"], r["idx"])] for r in rows]


def _text(row: dict) -> tuple[str, str]:
    """The article's text and its hash: from the row (tables) or its file (folders)."""
    if not row["path"]:
        return row["text"], row["hash"]
    from ..rawfile import read_bytes
    from ..textio import decode

    data = read_bytes(row["path"])
    return decode(data, name=row["name"])[0], hashlib.sha256(data).hexdigest()[:32]


def _texts(translator, items: list[tuple[dict, str, str]], settings: Settings):
    """Prepare each text, translate them together; if that fails, one by one to find the culprit."""
    prepared = []
    for row, text, digest in items:
        try:
            prepared.append((row, text, digest, _prepare(translator, text, row, settings)))
        except Exception as exc:  # noqa: BLE001
            yield row, _failed(row, _line(row, exc), digest)
    try:
        translator.translate_documents([doc for *_, doc in prepared])
    except Exception:  # noqa: BLE001 - isolate the article that made the engine fail
        for row, text, digest, _ in prepared:
            try:
                doc = translator.translate_documents([_prepare(translator, text, row, settings)])[0]
                yield row, _document(row, doc, digest, settings)
            except Exception as exc:  # noqa: BLE001
                yield row, _failed(row, _line(row, exc), digest)
        return
    for row, _, digest, doc in prepared:
        yield row, _document(row, doc, digest, settings)


def _prepare(translator, text: str, row: dict, settings: Settings):
    return translator.prepare(text, to=list(settings.targets), source=settings.source, name=row["name"])


def _document(row: dict, doc, digest: str, settings: Settings) -> dict:
    sentences = sum(len(s.sentences) for s in doc.segments)
    if row["path"]:
        return _done(row, digest, sentences, {"outputs": {lang: doc.text(lang) for lang in doc.targets}})
    columns = {f"{settings.text_field}_{lang}": doc.text(lang) for lang in doc.targets}
    columns.update(source_language=doc.source_language, route=doc.engine,
                   terms={lang: [{"segment": s.id, **t} for s in doc.segments for t in s.terms.get(lang, [])]
                          for lang in doc.targets} if settings.glossary else {},
                   warnings=list(doc.warnings))
    return _done(row, digest, sentences, columns)


def _markdown(translator, row: dict, settings: Settings) -> dict:
    from .. import detection
    from ..markdown import parse, translate_markdown

    text, digest = _text(row)
    units, _ = parse(text, name=row["name"])
    source = settings.source
    if source == "auto":  # as 'translate' does: the body's language, or the whole file's when short
        body = " ".join(u.joined for u in units)
        source = detection.detect(body if detection.letter_count(body) >= 50 else text, name=row["name"]).language
    outputs = translate_markdown(translator, text, to=list(settings.targets), source=source, name=row["name"],
                                 fields=settings.fields)
    return _done(row, digest, len(units), {"outputs": outputs})


def _catalog(translator, row: dict, settings: Settings) -> dict:
    from ..catalog import translate_catalog
    from ..rawfile import read_bytes

    digest = hashlib.sha256(read_bytes(row["path"])).hexdigest()[:32]
    results = translate_catalog(translator, row["path"], to=list(settings.targets), source=settings.source)
    warnings = [p.replace(row["path"], row["name"]) for r in results for p in r.problems]
    return _done(row, digest, max((r.translated for r in results), default=0),
                 {"outputs": {r.target: str(r.catalog) for r in results}, "warnings": warnings})


def _done(row: dict, digest: str, sentences: int, result: dict) -> dict:
    return _result(row, status="ok", hash=digest, sentences=sentences,
                   result=json.dumps(result, ensure_ascii=False))


def _failed(row: dict, error: str, digest: str = "") -> dict:
    return _result(row, status="failed", error=error, hash=digest or row["hash"])


def _result(row: dict, **values) -> dict:
    result = {"part": row["part"], "idx": row["idx"], "id": row["id"], "name": row["name"], "status": "",
              "error": "", "hash": "", "stamp": row["stamp"], "sentences": 0, "result": ""}
    result.update(values)
    return result


def _line(row: dict, exc: Exception) -> str:
    """One line naming the article: ``name: problem``."""
    if isinstance(exc, TranslatorError):
        text = "; ".join(getattr(exc, "problems", None) or [str(exc)])
    else:
        text = f"unexpected error: {type(exc).__name__}: {exc}"
    text = " ".join(text.replace(row["path"], row["name"]).split()) if row["path"] else " ".join(text.split())
    return text if text.startswith(row["name"]) else f"{row['name']}: {text}"
