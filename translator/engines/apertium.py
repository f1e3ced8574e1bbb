"""Apertium (rule-based) through Debian's ``apertium`` command and its pair packages.

Each sentence goes through Apertium as an HTML document of its own (one ``<p>``),
translated as ``apertium -f html MODE`` would translate it alone: Apertium carries
state from one sentence to the next (transfer variables, the tagger's open class),
so a sentence sent with others would come out differently depending on its
neighbours, from other paragraphs or other files.  Sentences go through the mode's
programs, started once per engine (:mod:`.apertium_pipe`), or through the shared
per-user server (:mod:`.apertium_server`) when asked for.  URLs, e-mail
addresses and the inline codes of documents travel as inline tags, which Apertium
copies untouched; glossary terms Apertium does not render as required are given
their analysis (:mod:`.apertium_terms`), so that the grammar around them holds.  Apertium marks
words it does not know (``*``), could not generate (``#``) or transfer (``@``):
the marks are removed from the output and the words reported.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EngineError, TranslatorError
from ..languages import ALIASES, NAMES
from .base import PairInfo, StepResult

if TYPE_CHECKING:
    from .apertium_pipe import ModePipeline
    from .apertium_terms import TermPipeline

NAME = "apertium"
MODE_DIRS = (Path("/usr/share/apertium/modes"), Path("/usr/local/share/apertium/modes"))
_PARA = re.compile(r"<p>(.*?)</p>", re.S)
_PROTECT = re.compile(r"https?://[^\s<>()\]]+|www\.[^\s<>()\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TAG = re.compile(r'<x id="(\d+)"/>')
# Anywhere (Apertium splits "802.11n" before the "n"), before a word or a lone symbol ("*·").
_MARKED = re.compile(r"([*#@]+)(\w[\w'’·-]*|[^\w\s*#@])")
_PART = re.compile(r"\W")  # an unknown word's first part ("*Apollo-Soyuz": only "Apollo" is copied)
_SPACES = re.compile(r"  +")
_GLUED_TAG = re.compile("( *)\x00(\\d+)\x00( *)")  # a tag and the spaces around it
_TIMEOUT = 600


def _code(part: str) -> str | None:
    if "_" in part:  # variants such as spa-eng_US, fra-cat_pre2017
        return None
    code = ALIASES.get(part.lower(), part.lower())
    return code if code in NAMES else None


DPKG_STATUS = Path("/var/lib/dpkg/status")


def _package_versions() -> dict[str, str]:
    """Installed Apertium package versions from dpkg, cached until dpkg's database changes."""
    if not shutil.which("dpkg-query"):
        return {}
    try:
        info = DPKG_STATUS.stat()
        stamp = [info.st_mtime_ns, info.st_size]
    except OSError:
        stamp = None
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "translator" / "apertium-packages.json"
    if stamp is not None:
        try:
            saved = json.loads(cache.read_text(encoding="utf-8"))
            if saved.get("dpkg_status") == stamp:
                return dict(saved["versions"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Version}\\n", "apertium*"],
                             capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    versions = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
    if stamp is not None:
        try:
            from ..textio import write_atomic

            cache.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(cache, json.dumps({"dpkg_status": stamp, "versions": versions}))
        except (OSError, TranslatorError):
            pass  # a cache we cannot write only costs the next run a dpkg-query
    return versions


def strip_marks(output: str, source: str) -> tuple[str, list[str]]:
    """Remove Apertium's ``*``/``#``/``@`` marks; return the text and the marked words.

    Marks are found before any word, whatever precedes them ("802.11*n", "(*H5N1)",
    "#*JO2024").  Marks that were already in the source before that word ("#JO2024",
    "a*b") are kept; so is an asterisk before a word whose first part the source does
    not have, which is the text's own (Apertium copies the words it does not know:
    "*Note" -> "*Nota", but "Apollo-Soyouz" -> "*Apollo-Soyuz").
    """
    own: dict[str, set[str]] = {}
    for m in _MARKED.finditer(source):
        own.setdefault(m.group(2), set()).add(m.group(1))
    folded = source.casefold()
    unknown: list[str] = []

    def fix(m: re.Match[str]) -> str:
        marks, word = m.group(1), m.group(2)
        kept = max((k for k in own.get(word, ()) if marks.startswith(k)), key=len, default="")
        added = marks[len(kept):]
        if not added:
            return m.group(0)
        if added.strip("*") == "" and _PART.split(word, 1)[0].casefold() not in folded:
            return m.group(0)
        if word[0].isalnum():  # a symbol Apertium did not know is not an unknown word
            unknown.append(word)
        return kept + word

    return _MARKED.sub(fix, output), unknown


def _protect(text: str, store: list[tuple[str, bool, bool]], spans=(), marked=()) -> str:
    """HTML-escape *text*, turning glossary spans (into their required form) and
    URLs/e-mail addresses (unchanged) into inline tags Apertium copies as they are.
    *store* receives each tag's text, and whether it was glued to the text before and
    after it (no space between), which Apertium does not always keep.

    The spans in *marked* stay words, wrapped in ``<tm id="k">`` (*k*: their index in
    *marked*) for :class:`.apertium_terms.TermPipeline`."""
    pieces = [(sp.start, sp.end, sp.required, None) for sp in spans]
    pieces += [(sp.start, sp.end, None, k) for k, sp in enumerate(marked)]
    taken = [(a, b) for a, b, _, _ in pieces]
    for m in _PROTECT.finditer(text):
        if not any(m.start() < b and a < m.end() for a, b in taken):
            pieces.append((m.start(), m.end(), m.group(0), None))
    out, cursor = [], 0
    for start, end, keep, k in sorted(pieces, key=lambda p: p[:2]):
        out.append(html.escape(text[cursor:start], quote=False))
        if k is not None:
            out.append(f'<tm id="{k}">{html.escape(text[start:end], quote=False)}</tm>')
        else:
            store.append((keep, start > 0 and not text[start - 1].isspace(),
                          end < len(text) and not text[end].isspace()))
            out.append(f'<x id="{len(store) - 1}"/>')
        cursor = end
    out.append(html.escape(text[cursor:], quote=False))
    return "".join(out)


def _restore_case(text: str, spans) -> str:
    """Each required form of *spans* written as required where Apertium changed its case
    (a transfer rule capitalising the first word of a sentence, say); inline codes, which
    travel as tags, are exact already.  The text is folded once, and again only after a fix."""
    from ..glossary import Haystack

    hay = Haystack(text)
    for sp in spans:
        if sp.code or hay.contains(sp.required, case_sensitive=sp.case_sensitive):
            continue
        where = hay.locate(sp.required)
        if where is not None:
            text = text[:where[0]] + sp.required + text[where[1]:]
            hay = Haystack(text)
    return text


def _put_back(text: str, store: list[tuple[str, bool, bool]]) -> str:
    """*text* with its tags (``\x00k\x00``) replaced by what they stand for, without the
    spaces Apertium put between a tag and the text it was glued to ("à ⟦2⟧0,2 %")."""
    def put(m: re.Match[str]) -> str:
        keep, glued_before, glued_after = store[int(m.group(2))]
        return ("" if glued_before else m.group(1)) + keep + ("" if glued_after else m.group(3))

    return _GLUED_TAG.sub(put, text)


class ApertiumEngine:
    """Rule-based translation with the installed Apertium modes."""

    name = NAME
    pivots = ("es", "ca", "en", "fr")
    copies_terms = True  # inline tags come out exactly as they went in

    def __init__(self, *, mode_dirs: tuple[Path, ...] | None = None, server: bool = False) -> None:
        """*server*: translate through the per-user Apertium server (started when
        needed), so that short-lived runs do not start the programs each time."""
        self._mode_dirs = mode_dirs or tuple(
            Path(p) for p in os.environ.get("TRANSLATOR_APERTIUM_MODES", "").split(os.pathsep) if p
        ) or MODE_DIRS
        self._command = "apertium"
        self.server = server
        self._pairs: dict[tuple[str, str], PairInfo] | None = None
        self._pipes: dict[str, ModePipeline] = {}
        self._term_pipes: dict[str, TermPipeline | None] = {}
        self._null_flush: bool | None = None  # apertium-wblank-mode present (Apertium 3.8+)?
        # One call at a time: the programs' pipes carry one stream, and a pipeline started twice
        # would leak one.  (A neural step of another thread runs meanwhile: translate batch.)
        self._lock = threading.RLock()
        self._closes = 0  # a start() asked for before a close() starts nothing after it

    def close(self) -> None:
        """Stop the Apertium programs this engine started (the server keeps its own)."""
        with self._lock:
            pipes, self._pipes = self._pipes, {}
            self._closes += 1
        for pipe in pipes.values():
            pipe.close()

    def pairs(self) -> dict[tuple[str, str], PairInfo]:
        if self._pairs is None:
            pairs: dict[tuple[str, str], PairInfo] = {}  # filled, then published whole (threads)
            if shutil.which(self._command):
                versions = None
                for folder in self._mode_dirs:
                    for mode in sorted(folder.glob("*.mode")) if folder.is_dir() else []:
                        parts = mode.stem.split("-")
                        if len(parts) != 2:
                            continue
                        src, tgt = _code(parts[0]), _code(parts[1])
                        if not src or not tgt or (src, tgt) in pairs:
                            continue
                        if versions is None:
                            versions = _package_versions()
                        package = _pair_package(mode)
                        pairs[(src, tgt)] = PairInfo(
                            NAME, src, tgt, mode.stem, versions.get(package, "?"), str(mode))
            self._pairs = pairs
        return self._pairs

    def translate(self, texts: list[str], source: str, target: str, *, terms=None,
                  progress=None) -> StepResult:
        """Translate *texts*.  With *terms* (per text, spans and their required forms),
        :func:`translator.terms.enforce` keeps Apertium's own output where it has the
        forms, and otherwise translates again with each term given its analysis
        (:mod:`.apertium_terms`), so that the words around it agree with it; as a last
        resort, terms travel as inline tags, which Apertium copies exactly.  Inline codes
        of documents always travel as inline tags."""
        if not texts:
            return StepResult([], [])
        with self._lock:
            return self._translate(texts, source, target, terms, progress)

    def _translate(self, texts: list[str], source: str, target: str, terms, progress) -> StepResult:
        info = self.pairs().get((source, target))
        if info is None:
            raise EngineError(f"no Apertium mode for {source}->{target}")
        codes = [[sp for sp in spans if sp.code] for spans in terms] if terms else None
        plain = self._with_codes(info, texts, codes)
        if terms and any(not sp.code for spans in terms for sp in spans):
            from ..terms import enforce

            outputs = enforce(texts, terms, [[t] for t in plain.texts], translate=None,
                              hard=lambda xs, spans: self._forced(info, xs, spans))
            unknown = [[w for w in words if w in out] for words, out in zip(plain.unknown, outputs)]
            plain = StepResult(outputs, unknown)
        if progress is not None:
            progress(len(texts))
        return plain

    def _with_codes(self, info: PairInfo, texts: list[str], codes) -> StepResult:
        """*texts* translated with their inline codes as tags; through the mode cut in parts
        where it can be, so that a code wrapping one word is bound to it and moves with
        it ("les <b>négociations</b> directes" -> "the direct <b>negotiations</b>")."""
        pipeline = self._term_pipeline(info) if codes and any(codes) else None
        if pipeline is not None:
            try:
                return self._run(info, texts, codes, pipeline)
            except EngineError:
                pass  # the programs refused the edited stream: codes as plain tags
        return self._run(info, texts, codes)

    def _forced(self, info: PairInfo, texts: list[str], spans: list) -> list[str]:
        """*texts* with their terms given their analysis; those whose output still lacks a
        form (or whose mode cannot be cut in parts) with their terms as inline tags."""
        from ..terms import missing

        outputs: list[str | None] = [None] * len(texts)
        pipeline = self._term_pipeline(info)
        if pipeline is not None:
            try:
                outputs = self._run(info, texts, spans, pipeline).texts
            except EngineError:
                pass  # the programs refused the edited stream: tags below
        redo = [i for i, out in enumerate(outputs) if out is None or missing(out, spans[i])]
        if redo:
            tagged = self._run(info, [texts[i] for i in redo], [spans[i] for i in redo]).texts
            for i, out in zip(redo, tagged):
                if outputs[i] is None or len(missing(out, spans[i])) < len(missing(outputs[i], spans[i])):
                    outputs[i] = out
        return outputs

    def _term_pipeline(self, info: PairInfo) -> TermPipeline | None:
        """The mode of *info* cut in parts to edit its stream, or None where it cannot be
        (Apertium before 3.8, a mode of another shape)."""
        if info.location not in self._term_pipes:
            from .apertium_pipe import pipeline_commands
            from .apertium_terms import TermPipeline, split_commands

            try:
                parts = split_commands(pipeline_commands(Path(info.location)))
            except EngineError:
                parts = None
            self._term_pipes[info.location] = parts and TermPipeline(
                parts, info.source, info.target, self._analysers(info.target, info.source))
        return self._term_pipes[info.location]

    def _analysers(self, lang: str, prefer: str) -> tuple[Path, ...]:
        """The morphological analysers of *lang* (the first program of each of its modes),
        the one from the same package as the pair from *prefer* first when installed."""
        pairs, found = self.pairs(), []
        for key in [(lang, prefer)] + sorted(k for k in pairs if k[0] == lang):
            info = pairs.get(key)
            try:
                m = info and re.search(r"'([^']+\.automorf\.bin)'", Path(info.location).read_text(encoding="utf-8"))
            except OSError:
                m = None
            if m and Path(m.group(1)).exists() and Path(m.group(1)) not in found:
                found.append(Path(m.group(1)))
        return tuple(found)

    def _run(self, info: PairInfo, texts: list[str], spans=None, analysed: TermPipeline | None = None) -> StepResult:
        """Each of *texts* as an HTML document of its own (one ``<p>``).  With *analysed*,
        the word spans of *spans* go through it given their analysis; else all spans,
        as inline tags."""
        stores: list[list[tuple[str, bool, bool]]] = [[] for _ in texts]
        spans = spans or [()] * len(texts)
        if analysed is None:
            tagged, words = spans, [()] * len(texts)
        else:
            tagged = [[sp for sp in s if sp.code] for s in spans]
            words = [[sp for sp in s if not sp.code] for s in spans]
        docs = [f"<p>{_protect(t, s, tg, w)}</p>" for t, s, tg, w in zip(texts, stores, tagged, words)]
        if analysed is None:
            translated = self._documents(info, docs)
        else:
            from .apertium_terms import Carried

            translated = analysed.translate(docs, [[Carried(sp.required, sp.gender, sp.number, t[sp.start:sp.end])
                                                    for sp in w] for t, w in zip(texts, words)])
        outputs = [_PARA.findall(out) for out in translated]
        if len(outputs) != len(texts) or any(len(out) != 1 for out in outputs):
            raise EngineError(f"apertium {info.name} did not return one paragraph per sentence")
        texts_out, unknown = [], []
        for (out,), src, store in zip(outputs, texts, stores):
            out = _TAG.sub(lambda m: "\x00" + m.group(1) + "\x00", out)
            cleaned, words = strip_marks(html.unescape(out), src)
            cleaned = _put_back(cleaned, store)
            texts_out.append(_restore_case(_SPACES.sub(" ", cleaned).strip(), spans[len(texts_out)]))
            unknown.append(words)
        return StepResult(texts_out, unknown)

    def _documents(self, info: PairInfo, docs: list[str]) -> list[str]:
        """What ``apertium -f html MODE`` prints for each of *docs* alone."""
        if self.server:
            from . import apertium_server

            try:
                return apertium_server.translate_each(info.location, docs)
            except apertium_server.ServerStuck:
                self.server = False  # a stopped or hung server: the programs run here from now on
        pipe = self._pipe(info)
        if pipe is None:
            # Apertium before 3.8: the shell script, once for all (a call per sentence
            # would start a dozen programs each time), so sentences share their state.
            return [f"<p>{out}</p>" for out in _PARA.findall(self._wrapper(info, "\n".join(docs)))]
        return pipe.translate_each(docs)

    def _pipe(self, info: PairInfo) -> ModePipeline | None:
        """The running programs of *info*'s mode, started if needed (None: Apertium before
        3.8, without null-flush mode: the shell script is run each time).  Under the lock."""
        if self._null_flush is None:
            self._null_flush = shutil.which("apertium-wblank-mode") is not None
        if not self._null_flush:
            return None
        pipe = self._pipes.get(info.location)
        if pipe is None or not pipe.alive:
            from .apertium_pipe import ModePipeline

            pipe = self._pipes[info.location] = ModePipeline(info.location)
        return pipe

    def start(self, source: str, target: str) -> None:
        """Start the programs of *source*->*target* in the background, so that they load
        while the caller detects and segments (most of a small run's time is their start).
        Nothing when they run already, or go through the server; a failure to start is
        reported by the translation that needs them."""
        info = self.pairs().get((source, target))
        if self.server or info is None or info.location in self._pipes:
            return
        closes = self._closes

        def run() -> None:
            with self._lock:
                if self._closes != closes:
                    return  # closed meanwhile: what it started would outlive it
                try:
                    self._pipe(info)
                except EngineError:
                    pass  # raised again, with its message, when translating

        threading.Thread(target=run, name=f"apertium-start-{info.name}", daemon=True).start()

    def _wrapper(self, info: PairInfo, doc: str) -> str:
        cmd = [self._command, "-f", "html", "-d", str(Path(info.location).parent.parent), info.name]
        try:
            proc = subprocess.run(cmd, input=doc, capture_output=True, text=True, timeout=_TIMEOUT)
        except (OSError, subprocess.SubprocessError) as exc:
            raise EngineError(f"apertium {info.name} failed: {exc}") from None
        if proc.returncode != 0:
            detail = (proc.stderr.strip().splitlines() or ["no message"])[0]
            raise EngineError(f"apertium {info.name} failed: {detail}")
        return proc.stdout


def _pair_package(mode: Path) -> str:
    """The Debian package of a mode: the data folder named in the mode file."""
    try:
        m = re.search(r"/(apertium-[a-z_]+-[a-z_]+)/", mode.read_text(encoding="utf-8"))
    except OSError:
        m = None
    return m.group(1) if m else f"apertium-{mode.stem}"
