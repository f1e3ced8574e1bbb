"""The reusable :class:`Translator`: detect, segment, route, translate in batches, rebuild."""

from __future__ import annotations

import os
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import detection, languages
from .document import BOILERPLATE, Document, Segment
from .engines import Engine, Route, RouteChoice, find_route, make_engines, no_route, pinned_routes, route_choices
from .errors import InputError
from .glossary import Glossary, contains, should_be
from .segmentation import has_letters, segment
from .terms import find_terms, spans_for


Progress = Callable[[int, int], None]  # (done, total)

if TYPE_CHECKING:
    from .documents import Options as DocumentOptions


class Translator:
    """Translate documents offline.  Create one and reuse it: models stay loaded.

    >>> t = Translator(engine="apertium")                      # doctest: +SKIP
    >>> doc = t.translate_text("Bonjour à tous.", to=["es"])   # doctest: +SKIP
    >>> doc.text("es")                                         # doctest: +SKIP
    'Hola a todos.'
    """

    def __init__(self, *, engine: str = "auto", beam_size: int = 4, threads: int = 0,
                 argos_dirs: Sequence[str | os.PathLike[str]] | None = None,
                 glossary: Glossary | str | Sequence[str] | None = None,
                 memory=None, apertium_server: bool = False, routes: dict[str, str] | None = None,
                 device: str = "auto", inter_threads: int = 0, batch_tokens: int = 0,
                 start_early: bool = False) -> None:
        """*glossary*: terms to enforce: a :class:`~translator.glossary.Glossary`, or
        built-in names and file paths for :func:`translator.glossary.load` (later ones win).
        *memory*: a :class:`translator.memory.Memory`; sentences found there are not
        translated again, new translations are stored.
        *apertium_server*: use the per-user Apertium server (for short-lived processes
        such as hooks; see :mod:`translator.engines.apertium_server`).
        *routes*: a route per target instead of the best measured one, such as
        ``{"it": "fr>ca>it"}`` (used when the text is in the route's first language);
        checked here: UsageError when malformed, NoRouteError when not installed.
        *threads*, *inter_threads*, *batch_tokens*, *device*: how Argos models run (0: chosen
        from the cores and the work; see :mod:`translator.engines.argos_layout`).
        *start_early*: :meth:`prepare` starts the engines' programs (Apertium's) in the
        background as soon as a document's language is known, so that they load while it is
        segmented: for a run that translates what it prepares, then closes (``translate``).
        Off by default: preparing alone then starts nothing.

        Apertium's programs and Argos models stay loaded until :meth:`close` (or the
        end of a ``with`` block)."""
        self.memory = memory
        if glossary is not None and not isinstance(glossary, Glossary):
            from .glossary import load

            glossary = load(glossary if isinstance(glossary, str) else list(glossary))
        self.glossary = glossary
        options = {"beam_size": beam_size, "threads": threads, "device": device, "inter_threads": inter_threads,
                   "batch_tokens": batch_tokens}
        if argos_dirs is not None:
            options["dirs"] = [Path(d) for d in argos_dirs]
        self.engine_choice = engine
        self.engines: list[Engine] = make_engines(engine, apertium_server=apertium_server, **options)
        self._by_name = {e.name: e for e in self.engines}
        self._routes: dict[tuple[str, str], Route | None] = {}
        self.pinned = pinned_routes(self.engines, routes)
        self.start_early = start_early
        self._served_detection = None
        if apertium_server:  # the server that keeps Apertium loaded keeps detection loaded too
            from .detection_served import ServedDetection

            self._served_detection = ServedDetection()

    def close(self) -> None:
        """Stop the engine processes this translator started."""
        for engine in self.engines:
            close = getattr(engine, "close", None)
            if close is not None:
                close()

    def __enter__(self) -> Translator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def with_glossary(self, glossary: Glossary | None) -> Translator:
        """The same engines (models stay loaded) with another glossary."""
        import copy

        clone = copy.copy(self)
        clone.glossary = glossary
        return clone

    # -- routes -------------------------------------------------------------------
    def route(self, source: str, target: str) -> Route | None:
        """The pinned route of the pair, else the best installed one (None: none)."""
        key = (source, target)
        if key not in self._routes:
            self._routes[key] = self.pinned.get(key) or find_route(self.engines, source, target)
        return self._routes[key]

    def route_choices(self, source: str | None = None, targets: Sequence[str] | None = None) -> list[RouteChoice]:
        """Every installed route per pair with its measured chrF, and the one this
        translator takes (see :func:`translator.engines.routes.format_route_choices`)."""
        return route_choices(self.engines, source, list(targets) if targets else None, pinned=self.pinned)

    # -- the public entry points -------------------------------------------------------
    def translate_text(self, text: str, *, to: str | Sequence[str], source: str = "auto",
                       name: str = "<text>", progress: Progress | None = None) -> Document:
        """Translate *text* into every language of *to* (``"en,es"`` or ``["en", "es"]``)."""
        return self.translate_documents([self.prepare(text, to=to, source=source, name=name)],
                                        progress=progress)[0]

    def translate_file(self, path: str | os.PathLike[str], *, to: str | Sequence[str],
                       source: str = "auto", encoding: str | None = None,
                       progress: Progress | None = None, input_format: str = "auto",
                       options: DocumentOptions | None = None) -> Document:
        """Read *path* and translate it with its document type (text, Markdown, HTML, Word,
        XLIFF, subtitles, PO: from its name, else its content, or *input_format*).

        ``doc.text(lang)`` is the translated file (``doc.data(lang)``: its bytes, for Word);
        ``doc.segments`` are its translated units, each pointing back into the file."""
        from . import documents
        from .textio import read_bytes

        name = os.fspath(path)
        targets = languages.normalize_list(to, option="--to")
        data = read_bytes(name)
        doctype, _ = documents.for_file(name, data[:8192], forced=input_format)
        if doctype.name == "text":
            text, used = documents.decode_text(data, name=name, encoding=encoding)
            doc = self.prepare(text, to=targets, source=source, name=name)
            doc.encoding = used
            return self.translate_documents([doc], progress=progress)[0]
        opts = options or documents.Options(encoding=encoding)
        done = doctype.translate(self, data, name=name, to=targets, source=source, options=opts)
        doc = done.document
        doc.outputs = {o.target: o.data for o in done.outputs}
        doc.warnings += done.problems
        return doc

    def detect(self, text: str, *, name: str = "<text>") -> detection.Detection:
        """The language of the document *text*, as :meth:`prepare` detects it (through the
        warm per-user server when this translator uses it)."""
        return (self._served_detection or detection).detect(text, name=name)

    # -- the two phases ------------------------------------------------------------------
    def prepare(self, text: str, *, to: str | Sequence[str], source: str = "auto",
                name: str = "<text>", document: detection.Detection | None = None,
                content: str = "all") -> Document:
        """Detect, segment and check routes, without translating (cheap; raises per document).

        *document*: the language of the whole document *text* is a piece of (detected once
        for a large input translated piece by piece: :mod:`translator.chunks`).
        *content*: ``"main"`` for a web page saved as text: paragraphs of the site around the
        article become ``boilerplate`` segments, kept as they are (:mod:`translator.site_text`)."""
        targets = languages.normalize_list(to, option="--to")
        if not text.strip():
            raise InputError("empty input: nothing to translate", path=name)
        if not has_letters(text):
            raise InputError("no letters to translate", path=name)
        # Decomposed accents ("e" + U+0301, as macOS and some exports write them) are
        # composed first: Apertium's dictionaries, the glossary and the memory match composed
        # text only ("confirmé" came out as "confirmá").  What is emitted is composed (NFC).
        text = unicodedata.normalize("NFC", text)
        detector = self._served_detection or detection
        if source == "auto":
            doc_lang = document or detector.detect(text, name=name)
        else:
            doc_lang = detection.Detection(languages.normalize(source, option="--from"), 1.0)
        if self.start_early:
            self._start_engines(doc_lang.language, targets)
        layout = segment(text, doc_lang.language)
        # The same candidates whatever the targets: a paragraph's language, hence its
        # translation into one target, must not depend on the other targets asked for.
        candidates = detection.SHORT_LINE_CANDIDATES
        # A document of one long paragraph is in the language detected for it: the same
        # question is not asked twice.  (A short one is still decided as a short line, which
        # corrects the free detection of a few words; a piece of a larger document too.)
        alone = document is None and len(layout.blocks) == 1 and detection.is_free(layout.blocks[0].text)
        auto = source == "auto" and not alone
        found = detector.paragraphs([b.text for b in layout.blocks], doc_lang, candidates) if auto \
            else [doc_lang] * len(layout.blocks)
        segments = []
        for i, (block, det) in enumerate(zip(layout.blocks, found), 1):
            sentences = [s.strip() for u in block.units for s in u.sentences]
            segments.append(Segment(i, block.kind, det.language, det.confidence, block.source, sentences))
        if content == "main":
            from .site_text import mark

            mark(segments)
        doc = Document(name, doc_lang.language, doc_lang.confidence, targets, segments, layout)
        for target in targets:
            if target == doc.source_language:
                doc.engine[target] = {"name": "none", "version": "", "route": [target], "steps": []}
                continue
            route = self.route(doc.source_language, target)
            if route is None:
                raise no_route(doc.source_language, target, self.engine_choice, path=name)
            doc.engine[target] = route.describe()
        return doc

    def _start_engines(self, source: str, targets: Sequence[str]) -> None:
        """Let the engines of the routes from *source* start loading (Apertium's programs)
        while the document is segmented and its paragraphs detected."""
        for target in targets:
            route = self.route(source, target) if target != source else None
            for pair in route.pairs if route is not None else ():
                start = getattr(self._by_name.get(pair.engine), "start", None)
                if start is not None:
                    start(pair.source, pair.target)

    def translate_documents(self, documents: Iterable[Document], *,
                            progress: Progress | None = None) -> list[Document]:
        """Translate prepared documents together: each engine step sees every sentence once."""
        docs = list(documents)
        jobs: dict[Route, set[str]] = defaultdict(set)
        plan: list[tuple[Document, Segment, str, Route | None]] = []
        for doc in docs:
            for seg in doc.segments:
                for target in doc.targets:
                    kept = seg.language == target or seg.kind == BOILERPLATE
                    route = None if kept else self.route(seg.language, target)
                    plan.append((doc, seg, target, route))
                    if route is not None:
                        jobs[route].update(s for s in seg.sentences if has_letters(s))
        known = self._recall(jobs)
        done = self._run(jobs, progress)
        self._remember(jobs, done)
        for route, table in known.items():
            done.setdefault(route.pairs, {}).update(table)
        for doc, seg, target, route in plan:
            if seg.language == target or seg.kind == BOILERPLATE:
                seg.status[target] = "unchanged"
            elif route is None:
                seg.status[target] = "no-route"
                doc.warnings.append(f"segment {seg.id}: no route from {seg.language} to {target}; kept unchanged")
            else:
                seg.status[target] = "translated"
                table = done[route.pairs]
                seg.unknown_words[target] = sorted({w for s in seg.sentences if s in table for w in table[s][1]})
                if self.glossary:
                    seg.terms[target] = self._term_report(seg, target, table)
                    for miss in (t for t in seg.terms[target] if not t["ok"]):
                        doc.warnings.append(f"segment {seg.id}: {target}: "
                                            f"{should_be(miss['term'], miss['required'])}, not enforced")
        routes_by_doc: dict[int, dict] = defaultdict(dict)
        for doc, seg, target, route in plan:  # one pass, not one per document
            routes_by_doc[id(doc)][(seg.id, target)] = route
        for doc in docs:
            self._assemble(doc, routes_by_doc[id(doc)], done)
        return docs

    # -- internals -----------------------------------------------------------------------------
    def _run(self, jobs: dict[Route, set[str]], progress: Progress | None):
        """Run every route step once per distinct prefix ("fr>es" serves es, en, it, pt).

        ``done[prefix][sentence]`` is ``(text, unknown words, terms)``, where *terms*
        follows each glossary term of the sentence with its form in that text.

        Sentences of every document go to a step together, sorted and each once: no
        output depends on that, since CTranslate2 translates each sentence on its own
        and Apertium is given each sentence as a document of its own
        (:mod:`translator.engines.apertium`).
        """
        done: dict[tuple, dict[str, tuple[str, list[str], list]]] = {}
        steps: dict[tuple, set[str]] = defaultdict(set)
        for route, sentences in jobs.items():
            for depth in range(1, len(route.pairs) + 1):
                steps[route.pairs[:depth]] |= sentences
        total = sum(len(s) for s in steps.values())
        counter = [0]

        def tick(n: int) -> None:
            counter[0] += n
            if progress is not None:
                progress(counter[0], total)

        finals = {route.pairs for route in jobs}
        pivots = {route.pairs[:depth] for route in jobs for depth in range(1, len(route.pairs))}
        final_tables = {}
        for key in sorted(steps, key=len):
            engine = self._by_name[key[-1].engine]
            sentences = sorted(steps[key])
            previous = done.get(key[:-1]) if len(key) > 1 else None
            # A step that feeds another carries the terms the next language needs (an engine
            # that copies them); a step whose output is a target's must not keep them in the
            # source's words ("négociations" in Catalan): when it is both, it runs twice,
            # again only for the sentences where that changes what the engine is given.
            carry = engine.copies_terms and key in pivots
            done[key] = self._step(key, sentences, previous, carry, tick if progress else None)
            if carry and key in finals:
                final_tables[key] = self._step(key, sentences, previous, False, None, reuse=done[key])
        done.update(final_tables)
        return done

    def _step(self, key: tuple, sentences: list[str], previous, carry: bool, tick, *,
              reuse: dict | None = None) -> dict[str, tuple[str, list[str], list]]:
        """One step of a route (*key*: the pairs up to it) on *sentences*; *previous*: the
        step before's table.  With *reuse* (the same step run with terms carried), a sentence
        the engine would be given alike is taken from it."""
        pair = key[-1]
        engine = self._by_name[pair.engine]
        inputs, tracked, spans_of, table = [], [], {}, {}
        for s in sentences:
            if previous:
                text, _, terms = previous[s]
            else:
                text = s
                terms = [(t, t.matched) for t in find_terms(self.glossary, s, key[0].source)]
            spans = spans_for(text, terms, pair.target, carry=carry) if terms else []
            if reuse is not None and [sp for _, sp in spans] == [
                    sp for _, sp in (spans_for(text, terms, pair.target, carry=True) if terms else [])]:
                table[s] = reuse[s]
                continue
            inputs.append(text)
            tracked.append((s, spans))
            spans_of.setdefault(text, [sp for _, sp in spans])
        unique = list(dict.fromkeys(inputs))
        if not unique:
            return table
        result = engine.translate(unique, pair.source, pair.target,
                                  terms=[spans_of[u] for u in unique] if self.glossary else None,
                                  progress=tick)
        by_input = dict(zip(unique, zip(result.texts, result.unknown or [[]] * len(unique))))
        for inp, (s, spans) in zip(inputs, tracked):
            text, unknown = by_input[inp]
            earlier = previous[s][1] if previous else []
            table[s] = (text, earlier + [w for w in unknown if w not in earlier],
                        [(term, sp.required) for term, sp in spans])
        return table

    def _recall(self, jobs: dict[Route, set[str]]) -> dict[Route, dict]:
        """Take the sentences the memory knows out of *jobs*; return them per route."""
        if self.memory is None:
            return {}
        from .memory import glossary_identity

        gid = glossary_identity(self.glossary)
        known = {}
        for route, sentences in jobs.items():
            found = self.memory.lookup(self.memory.route_identity(route), gid, route.languages[0],
                                       route.languages[-1], sorted(sentences))
            known[route] = {s: (t, [], []) for s, t in found.items()}
            sentences.difference_update(found)
        return known

    def _remember(self, jobs: dict[Route, set[str]], done) -> None:
        if self.memory is None:
            return
        from .memory import glossary_identity

        gid = glossary_identity(self.glossary)
        for route, sentences in jobs.items():
            table = done.get(route.pairs, {})
            self.memory.store(self.memory.route_identity(route), gid, route.languages[0], route.languages[-1],
                              [(s, table[s][0]) for s in sorted(sentences) if s in table])

    def _term_report(self, seg: Segment, target: str, table) -> list[dict]:
        """Each glossary term of *seg*, the form *target* requires, and whether it is there."""
        report = []
        for index, sentence in enumerate(seg.sentences):
            output = table[sentence][0] if sentence in table else sentence
            for term in find_terms(self.glossary, sentence, seg.language):
                required = term.required(target)
                if required:
                    report.append({"sentence": index, "term": term.matched, "required": required,
                                   "ok": contains(output, required, case_sensitive=term.case_sensitive(target)),
                                   "glossary": term.concept.origin})
        return report

    @staticmethod
    def _assemble(doc: Document, routes: dict, done) -> None:
        for target in doc.targets:
            rendered = []
            for seg, block in zip(doc.segments, doc.layout.blocks):
                route = routes[(seg.id, target)]
                if route is None:
                    text = block.source
                    seg.sentence_translations[target] = list(seg.sentences)
                else:
                    table = done[route.pairs]
                    text = block.render([[table[s.strip()][0] if s.strip() in table else s.strip()
                                          for s in unit.sentences] for unit in block.units])
                    seg.sentence_translations[target] = [table[s][0] if s in table else s for s in seg.sentences]
                seg.translations[target] = text
                rendered.append(text)
            doc._texts[target] = doc.layout.join(rendered)


_default: Translator | None = None


def translate_text(text: str, *, to: str | Sequence[str], source: str = "auto", engine: str = "auto",
                   glossary: str | Sequence[str] | None = None) -> Document:
    """Translate *text* with a shared :class:`Translator` (models loaded once per process)."""
    return _shared(engine, glossary).translate_text(text, to=to, source=source)


def translate_file(path: str | os.PathLike[str], *, to: str | Sequence[str], source: str = "auto",
                   engine: str = "auto", encoding: str | None = None,
                   glossary: str | Sequence[str] | None = None) -> Document:
    """Read and translate *path* with a shared :class:`Translator`."""
    return _shared(engine, glossary).translate_file(path, to=to, source=source, encoding=encoding)


_default_key: tuple | None = None


def _shared(engine: str, glossary: str | Sequence[str] | None) -> Translator:
    """One Translator per process, rebuilt only when the engine or glossary changes."""
    global _default, _default_key
    key = (engine, glossary if glossary is None or isinstance(glossary, str) else tuple(glossary))
    if _default is None or _default_key != key:
        _default, _default_key = Translator(engine=engine, glossary=glossary), key
    return _default
