"""The library side of the service in one worker: one :class:`~translator.pipeline.Translator`
(models loaded once), the configured glossaries, and requests turned into prepared documents.

Preparing (detection, segmentation, routes) runs on the request's thread; translating runs on
the engine thread, many requests' documents in one ``translate_documents`` call
(:mod:`.batching`).  ``format=html`` texts are read on the request's thread and translated by
the ``html`` document type on the engine thread, as ``translate_html`` translates them
(:mod:`.html_text`)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import detection, languages
from ..errors import InputError, NoRouteError
from ..segmentation import has_letters
from . import codes, html_text
from .errors import ApiError, not_supported
from .options import ServiceOptions
from .params import TranslateRequest

NO_GLOSSARY = "none"
UNDETECTED = {"confidence": 0.0, "language": "en"}  # LibreTranslate's answer for text without letters


@dataclass
class Item:
    """One text of ``q``: its documents to translate (none when it has no letters), or with
    ``format=html`` its page and the page's language (none when it has no text outside the markup)."""

    text: str
    docs: list = field(default_factory=list)
    page: Any = None  # format=html: the page read (translator.documents.html.Page)
    source: str = ""  # format=html: the page's language
    translated: Any = None  # format=html: the document type's result (documents.Translated)
    detected: dict[str, Any] | None = None

    def output(self, target: str) -> str:
        if self.translated is not None:
            return self.translated.outputs[0].data
        return self.docs[0].text(target) if self.docs else self.text

    def terms(self, target: str) -> list[dict[str, Any]]:
        docs = [self.translated.document] if self.translated is not None else self.docs
        return [{k: v for k, v in t.items() if k != "sentence"}
                for d in docs for s in d.segments for t in s.terms.get(target, [])]


@dataclass
class Plan:
    """A ``/translate`` request, prepared: what the engine thread translates and how to answer."""

    request: TranslateRequest
    target: str
    key: tuple[str, str]  # (engine, glossary) of the translator to use
    items: list[Item]
    glossary_used: bool

    @property
    def docs(self) -> list:
        return [d for item in self.items for d in item.docs]

    @property
    def pages(self) -> list[Item]:
        """The ``format=html`` texts to translate (by the engine thread, with :meth:`Workbench.translate_pages`)."""
        return [item for item in self.items if item.page is not None]

    @property
    def size(self) -> int:
        """Sentences to translate (what a batch's maximum counts)."""
        return sum(len(s.sentences) for d in self.docs for s in d.segments)

    def response(self) -> dict[str, Any]:
        """LibreTranslate's response, with ``terms`` when a glossary was used."""
        req = self.request

        def each(values: list) -> Any:
            return values if req.batch else values[0]

        result: dict[str, Any] = {"translatedText": each([i.output(self.target) for i in self.items])}
        if req.source == "auto":
            result["detectedLanguage"] = each([i.detected or UNDETECTED for i in self.items])
        if req.alternatives > 0:  # our engines give one translation: the field is there, empty
            result["alternatives"] = each([[] for _ in self.items])
        if self.glossary_used:
            result["terms"] = each([i.terms(self.target) for i in self.items])
        return result


class Workbench:
    """The translator, the glossaries and the installed languages of one worker process."""

    def __init__(self, options: ServiceOptions, translator=None) -> None:
        from ..glossary import load
        from ..pipeline import Translator

        self.options = options
        self._owned = translator is None  # closed here only when made here
        self.base = translator or Translator(engine=options.engine, beam_size=options.beam_size,
                                             threads=options.engine_threads(),
                                             apertium_server=options.apertium_server)
        self.glossaries = {_glossary_name(spec): load(spec) for spec in options.glossaries}
        self.default_glossary = load(options.glossaries) if options.glossaries else None
        self._translators: dict[tuple[str, str], Any] = {}
        self.languages = codes.language_list(self.base)
        self.installed = {languages.canonical(entry["code"]) for entry in self.languages}

    def close(self) -> None:
        if self._owned:
            self.base.close()

    def translator(self, key: tuple[str, str]):
        """The translator for (engine, glossary): the same engines, models loaded once."""
        if key not in self._translators:
            engine, glossary = key
            chosen = _restricted(self.base, engine)
            terms = None if glossary == NO_GLOSSARY else (
                self.default_glossary if glossary == "" else self.glossaries[glossary])
            self._translators[key] = chosen.with_glossary(terms)
        return self._translators[key]

    def key_for(self, engine: str | None, glossary: str | None) -> tuple[str, str]:
        engine = (engine or "auto").lower()
        engine = self.base.engine_choice if engine == "auto" else engine
        if engine != self.base.engine_choice and not (self.base.engine_choice == "auto"
                                                      and engine in {e.name for e in self.base.engines}):
            raise ApiError(400, f"Invalid request: engine {engine!r} is not enabled on this server "
                                f"(started with --engine {self.base.engine_choice})")
        if glossary is not None and glossary != NO_GLOSSARY and glossary not in self.glossaries:
            known = ", ".join(sorted(self.glossaries)) or "none configured"
            raise ApiError(400, f"Invalid request: glossary {glossary!r} is not configured on this server "
                                f"({known})")
        return engine, glossary if glossary is not None else ""

    # -- /translate --------------------------------------------------------------------
    def plan(self, req: TranslateRequest) -> Plan:
        """Check languages and routes and prepare every text (400 on what LibreTranslate refuses)."""
        target = self._language(req.target)
        source = "auto" if req.source == "auto" else self._language(req.source)
        key = self.key_for(req.engine, req.glossary)
        translator = self.translator(key)
        items = [self._page_item(translator, text, f"q[{i}]" if req.batch else "q", source, target)
                 if req.format == "html" else self._item(translator, text, source, target)
                 for i, text in enumerate(req.texts)]
        return Plan(req, target, key, items, translator.glossary is not None)

    def translate_pages(self, plan: Plan) -> None:
        """Translate the plan's ``format=html`` texts (on the engine thread), each as
        ``translate_html`` does."""
        translator = self.translator(plan.key)
        for item in plan.pages:
            item.translated = html_text.translate(translator, item.page, source=item.source, target=plan.target)

    def _language(self, code: str) -> str:
        ours = codes.ours(code)
        if ours not in self.installed:
            raise not_supported(code)
        return ours

    def _item(self, translator, text: str, source: str, target: str) -> Item:
        """One document (with ``auto``, each paragraph's language detected)."""
        item = Item(text)
        if not has_letters(text):
            return item
        try:
            item.docs = [translator.prepare(text, to=[target], source=source)]
        except NoRouteError:
            raise _no_route(_detect(text).language if source == "auto" else source, target) from None
        except InputError:  # undetectable
            raise ApiError(400, "Invalid request: cannot detect the language of q: pass source") from None
        found = detection.Detection(item.docs[0].source_language, item.docs[0].confidence)
        item.detected = {"confidence": _percent(found.confidence), "language": codes.shown(found.language)}
        return item

    def _page_item(self, translator, text: str, name: str, source: str, target: str) -> Item:
        """``format=html``: the page read as ``translate_html`` reads it, its language (with
        ``auto``, detected on its text as ``translate_html`` detects it) and its route checked."""
        item = Item(text)
        try:
            page = html_text.read(text, name=name)
        except InputError as exc:
            raise ApiError(400, f"Invalid request: {exc}") from None
        if page is None:  # no text outside the markup: answered as it came
            return item
        if source == "auto":
            found = _detect(page.sample)
            source = found.language
            item.detected = {"confidence": _percent(found.confidence), "language": codes.shown(source)}
        if source != target and translator.route(source, target) is None:
            raise _no_route(source, target)
        item.page, item.source = page, source
        return item

    # -- /detect ----------------------------------------------------------------------
    @staticmethod
    def detect(texts: list[str]) -> list[dict[str, Any]]:
        """LibreTranslate's ``/detect`` answer: the best candidate (``en`` at 0 without letters)."""
        sample = "\n".join(texts)
        if not has_letters(sample):
            return [dict(UNDETECTED)]
        found = _detect(sample)
        return [{"confidence": _percent(found.confidence), "language": codes.shown(found.language)}]

    # -- /translate_file ---------------------------------------------------------------
    def translate_upload(self, path: Path, source: str, target: str, key: tuple[str, str]) -> tuple[str | bytes, str]:
        """The uploaded file at *path* translated by its document type (on the engine thread):
        the file's data and its name's ending (``.es.po`` for ``messages.pot``)."""
        from .. import documents
        from ..textio import read_bytes

        data = read_bytes(path)
        doctype, _ = documents.for_file(path.name, data[:8192])
        done = doctype.translate(self.translator(key), data, name=path.name, to=[target], source=source,
                                 options=documents.Options())
        output = done.outputs[0]
        return output.data, output.ending

    def file_languages(self, source: str, target: str) -> tuple[str, str]:
        return ("auto" if source == "auto" else self._language(source)), self._language(target)


def _detect(text: str) -> detection.Detection:
    try:
        return detection.detect(text)
    except InputError:
        raise ApiError(400, "Invalid request: cannot detect the language of q: pass source") from None


def _percent(confidence: float) -> float:
    return float(round(confidence * 100))


def _no_route(source: str, target: str) -> ApiError:
    return ApiError(400, f"{languages.name(target)} ({codes.shown(target)}) is not available as a target "
                         f"language from {languages.name(source)} ({codes.shown(source)})")


def _glossary_name(spec: str) -> str:
    """A glossary's name in requests: a built-in name as is, a file by its stem."""
    path = Path(spec)
    return path.stem if path.suffix else spec


def _restricted(base, engine: str):
    """*base* limited to one of its engines (``"argos"`` of an ``auto`` translator), sharing
    the loaded engines; *base* itself for its own choice."""
    if engine == base.engine_choice:
        return base
    clone = copy.copy(base)
    clone.engines = [e for e in base.engines if e.name == engine]
    clone.engine_choice = engine
    clone._by_name = {e.name: e for e in clone.engines}
    clone._routes = {}
    return clone


def run_batch(workbench: Workbench, jobs: list) -> list[BaseException | None]:
    """The engine thread's work for one batch: the documents of every job that uses the same
    translator go through one ``translate_documents`` call (one engine call per route step)."""
    groups: dict[tuple[str, str], list] = {}
    for job in jobs:
        groups.setdefault(job.key, []).append(job)
    outcome: dict[int, BaseException | None] = {}
    for key, group in groups.items():
        try:
            workbench.translator(key).translate_documents([d for job in group for d in job.payload])
            failure = None
        except Exception as exc:  # this group's requests fail; the other groups go on
            failure = exc
        outcome.update((id(job), failure) for job in group)
    return [outcome[id(job)] for job in jobs]
