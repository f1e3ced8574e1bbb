"""Translating article rows on Ray actors: one loaded :class:`~translator.Translator` per actor.

:class:`ArticleTranslator` is the callable class given to ``map_batches``: Ray builds
it once per actor (models load once), then calls it with batches of rows.  Plain texts
of a batch are translated together, as ``translate`` translates the files it is given;
the other document types (Markdown, PO, HTML, Word, XLIFF, subtitles) one by one through
the document registry (:mod:`translator.documents`), as ``translate`` does, so an
article's output is what ``translate FILE`` writes for it.  An article that fails
(unreadable, undetectable, no route, an engine error) becomes a failed result with one
line saying why; the other articles of its batch are translated all the same.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from ..documents.markdown import DEFAULT_FIELDS
from ..errors import TranslatorError
from ..textio import DEFAULT_MAX_SIZE

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
    max_size: int = DEFAULT_MAX_SIZE  # the largest article file read
    routes: tuple[tuple[str, str], ...] = ()  # pinned routes: ("it", "fr>es>it")
    content: str = "auto"  # HTML and scraped text: "main" (the article), "all", "auto"


def make_translator(settings: Settings):
    from ..pipeline import Translator

    memory = None
    if settings.memory:
        from ..memory import Memory

        memory = Memory(settings.memory)
    translator = Translator(engine=settings.engine, beam_size=settings.beam_size, threads=settings.threads,
                            glossary=settings.glossary, memory=memory, routes=dict(settings.routes))
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
            elif row["kind"] == "text":  # a table's row
                texts.append((row, row["text"], row["hash"]))
            else:
                result = _file(translator, row, settings, texts)
                if result is not None:
                    done[key] = result
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the others
            done[key] = _failed(row, _line(row, exc))
    for row, result in _texts(translator, texts, settings):
        done[(row["part"], row["idx"])] = result
    return [done[(r["part"], r["idx"])] for r in rows]


def _file(translator, row: dict, settings: Settings, texts: list) -> dict | None:
    """A folder's article: plain text joins *texts* (translated together, as ``translate``
    does with the files it is given); any other document type is translated here, through
    its type, as ``translate FILE`` translates it."""
    from .. import documents
    from ..textio import decode, read_bytes

    data = read_bytes(row["path"], max_size=settings.max_size)
    digest = hashlib.sha256(data).hexdigest()[:32]
    doctype, _ = documents.for_file(row["name"], data[:8192])
    if doctype.name == "text":
        texts.append((row, decode(data, name=row["name"])[0], digest))
        return None
    done = doctype.translate(translator, data, name=row["name"], to=list(settings.targets), source=settings.source,
                             options=documents.Options(max_size=settings.max_size, fields=settings.fields,
                                                       content=settings.content))
    files = [_output(o.ending, o.data) for o in done.outputs]
    warnings = list(done.document.warnings) if done.document is not None else []
    return _done(row, digest, _sentences(done.document), {"outputs": files, "warnings": warnings + done.problems})


def _output(ending: str, data: str | bytes) -> dict:
    """One output file as JSON: text as it is, bytes (Word) in base 64."""
    if isinstance(data, bytes):
        return {"ending": ending, "base64": base64.b64encode(data).decode("ascii")}
    return {"ending": ending, "text": data}


def _sentences(doc) -> int:
    return sum(len(s.sentences) for s in doc.segments) if doc is not None else 0


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
    return translator.prepare(text, to=list(settings.targets), source=settings.source, name=row["name"],
                              content=settings.content)


def _document(row: dict, doc, digest: str, settings: Settings) -> dict:
    if row["path"]:
        suffix = PurePath(row["path"]).suffix
        files = [_output(f".{lang}{suffix}", doc.text(lang)) for lang in doc.targets]
        return _done(row, digest, _sentences(doc), {"outputs": files, "warnings": list(doc.warnings)})
    columns = {f"{settings.text_field}_{lang}": doc.text(lang) for lang in doc.targets}
    columns.update(source_language=doc.source_language, route=doc.engine,
                   terms={lang: [{"segment": s.id, **t} for s in doc.segments for t in s.terms.get(lang, [])]
                          for lang in doc.targets} if settings.glossary else {},
                   warnings=list(doc.warnings))
    return _done(row, digest, _sentences(doc), columns)


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
