"""Argos Translate packages, run with CTranslate2 and SentencePiece directly.

Finding installed packages here reads ``metadata.json`` files only; it imports
neither argostranslate (whose settings module creates folders on import) nor
torch or stanza, and never touches the network.  Installing and removing
packages is in :mod:`translator.models`.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import EngineError
from ..languages import ALIASES, NAMES
from .argos_layout import Layout, choose, parse_device, resolve_device
from .base import PairInfo, StepResult

NAME = "argos"
MAX_METADATA = 1 << 20


def package_dirs() -> list[Path]:
    """Where argostranslate keeps packages, resolved as argostranslate 1.11 does."""
    explicit = os.environ.get("ARGOS_PACKAGES_DIR")
    if explicit:
        return [Path(explicit)]
    home = Path.home()
    config = Path(os.environ.get("XDG_CONFIG_HOME", home / ".config")) / "argos-translate" / "settings.json"
    try:
        configured = json.loads(config.read_text(encoding="utf-8")).get("ARGOS_PACKAGES_DIR")
    except (OSError, ValueError, AttributeError):
        configured = None
    if configured:
        return [Path(configured)]
    data = Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share")) / "argos-translate"
    return [data / "packages"]


@dataclass(frozen=True)
class ArgosPackage:
    path: Path
    source: str
    target: str
    version: str
    target_prefix: str = ""

    @property
    def name(self) -> str:
        return f"translate-{self.source}_{self.target}"


def language_code(meta: dict, key: str, where: str) -> str:
    """``from_code`` or ``to_code`` of a package's metadata, as one of our language codes."""
    code = str(meta.get(key, "")).lower()
    code = ALIASES.get(code, code)
    if code not in NAMES:
        raise EngineError(f"metadata.json: {key}: unknown language {meta.get(key)!r}", path=where)
    return code


def read_package(path: Path) -> ArgosPackage:
    """Read and check an unpacked package folder; raise :class:`EngineError` if unusable."""
    meta_path = path / "metadata.json"
    try:
        if meta_path.stat().st_size > MAX_METADATA:
            raise EngineError("metadata.json is over 1 MiB: not a package's metadata", path=str(path))
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EngineError("not an Argos package: no metadata.json", path=str(path)) from None
    except (OSError, ValueError) as exc:
        raise EngineError(f"unreadable metadata.json: {exc}", path=str(path)) from None
    if not isinstance(meta, dict) or meta.get("type", "translate") != "translate":
        raise EngineError("metadata.json: not a translation package", path=str(path))
    codes = [language_code(meta, key, str(path)) for key in ("from_code", "to_code")]
    missing = [f for f in ("model/model.bin", "sentencepiece.model") if not (path / f).is_file()]
    if missing:
        raise EngineError(
            f"incomplete package: missing {', '.join(missing)} (only SentencePiece packages are supported)",
            path=str(path),
        )
    return ArgosPackage(path, codes[0], codes[1], str(meta.get("package_version", "?")),
                        str(meta.get("target_prefix", "") or ""))


def installed_packages(dirs: list[Path] | None = None) -> list[ArgosPackage]:
    """Valid packages in the package folders; broken ones are skipped."""
    found = []
    for root in dirs if dirs is not None else package_dirs():
        if not root.is_dir():
            continue
        for child in sorted(root.iterdir()):
            if child.is_dir() and (child / "metadata.json").is_file():
                try:
                    found.append(read_package(child))
                except EngineError:
                    continue
    return found


def detokenize(pieces: list[str]) -> str:
    """Target pieces to text.  The package's SentencePiece model is the source side's,
    so pieces are joined and the word marks turned into spaces, as Argos does."""
    return "".join(pieces).replace("\u2581", " ").strip()


class _LoadedModel:
    def __init__(self, package: ArgosPackage, layout: Layout, compute_type: str) -> None:
        import ctranslate2  # lazy: heavy
        import sentencepiece

        self.layout = layout
        try:
            self.translator = ctranslate2.Translator(
                str(package.path / "model"), device=layout.device, device_index=layout.device_index,
                compute_type=compute_type, inter_threads=layout.inter_threads, intra_threads=layout.intra_threads,
            )
            self.sp = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
        except (RuntimeError, OSError, ValueError) as exc:
            raise EngineError(f"cannot load the model on {layout.device}: {exc}", path=str(package.path)) from None


def load_model(package: ArgosPackage, *, threads: int = 1, compute_type: str = "int8") -> _LoadedModel:
    """Load a package's CTranslate2 and SentencePiece models (raises :class:`EngineError`)."""
    return _LoadedModel(package, Layout(intra_threads=threads), compute_type)


def _batch_size(layout: Layout, sentences: int) -> int:
    """The layout's batch size, smaller when there are too few sentences for every
    translator to get a batch."""
    if layout.batch_type != "examples" or layout.inter_threads == 1:
        return layout.max_batch_size
    return max(1, min(layout.max_batch_size, -(-sentences // layout.inter_threads)))


class ArgosEngine:
    """Neural translation with Argos packages.  Loaded models are kept for later calls."""

    name = NAME
    pivots = ("en",)
    copies_terms = False

    def __init__(self, *, dirs: list[Path] | None = None, beam_size: int = 4, threads: int = 0,
                 max_batch_size: int = 32, compute_type: str = "int8", device: str = "cpu",
                 inter_threads: int = 0, batch_tokens: int = 0) -> None:
        """*threads*: CPU threads in all (0: every core); *inter_threads*: parallel translators
        (0: from the work size, see :mod:`translator.engines.argos_layout`); *batch_tokens*:
        batches by tokens instead of *max_batch_size* sentences; *device*: ``auto``, ``cpu``,
        ``cuda`` or ``cuda:N`` (checked here, resolved when a model loads)."""
        self._dirs = dirs
        self.beam_size = beam_size
        self.threads = threads or (os.cpu_count() or 1)
        self.max_batch_size = max_batch_size
        self.device = device
        self.inter_threads = inter_threads
        self.batch_tokens = batch_tokens
        choose(0, threads=threads, inter_threads=inter_threads, batch_tokens=batch_tokens)  # checks the values
        parse_device(device)
        self.compute_type = compute_type
        self._models: dict[Path, _LoadedModel] = {}
        self._lock = threading.Lock()
        self._pairs: dict[tuple[str, str], PairInfo] | None = None
        self._packages: dict[tuple[str, str], ArgosPackage] = {}

    def pairs(self) -> dict[tuple[str, str], PairInfo]:
        if self._pairs is None:
            pairs = {}
            for pkg in installed_packages(self._dirs):
                key = (pkg.source, pkg.target)
                if key not in pairs:  # first folder wins, as in argostranslate
                    self._packages[key] = pkg
                    pairs[key] = PairInfo(NAME, pkg.source, pkg.target, pkg.name, pkg.version, str(pkg.path))
            self._pairs = pairs
        return self._pairs

    def layout(self, sentences: int) -> Layout:
        """The layout a model loaded for *sentences* sentences gets (the first call's work decides)."""
        device, index = resolve_device(self.device)
        layout = choose(sentences, device=device, device_index=index, threads=self.threads,
                        inter_threads=self.inter_threads, batch_tokens=self.batch_tokens)
        return layout if self.batch_tokens else replace(layout, max_batch_size=self.max_batch_size)

    def _model(self, source: str, target: str, sentences: int = 1) -> tuple[ArgosPackage, _LoadedModel]:
        self.pairs()
        package = self._packages.get((source, target))
        if package is None:
            raise EngineError(f"no Argos package for {source}->{target}")
        with self._lock:
            model = self._models.get(package.path)
            if model is None:
                model = self._models[package.path] = _LoadedModel(package, self.layout(sentences),
                                                                  self.compute_type)
        return package, model

    def translate(self, texts: list[str], source: str, target: str, *, terms=None,
                  progress=None) -> StepResult:
        """Translate every text in one ``translate_batch`` call (chunked only to report progress).

        With *terms*, all n-best hypotheses come back from the same call (same beam,
        same best hypothesis) and :func:`translator.terms.enforce` chooses or mends
        them; the last resort puts the required form in the source and translates again.
        """
        if not texts:
            return StepResult([], [])
        package, model = self._model(source, target, len(texts))
        with_terms = bool(terms) and any(terms)
        hypotheses = self._decode(package, model, texts, self.beam_size if with_terms else 1, progress)
        outputs = [h[0] for h in hypotheses]
        if with_terms:
            from ..terms import enforce

            def substitute(texts_, spans_):  # the required form put in the source
                edited = []
                for text, spans in zip(texts_, spans_):
                    for sp in sorted(spans, key=lambda sp: -sp.start):
                        text = text[:sp.start] + sp.required + text[sp.end:]
                    edited.append(text)
                return [h[0] for h in self._decode(package, model, edited, 1)]

            outputs = enforce(texts, terms, hypotheses,
                              translate=lambda xs, n: self._decode(package, model, xs, max(n, self.beam_size)),
                              hard=substitute)
        return StepResult(outputs, [[] for _ in outputs])

    def _decode(self, package: ArgosPackage, model: _LoadedModel, texts: list[str], n: int,
                progress=None) -> list[list[str]]:
        tokens = model.sp.encode(texts, out_type=str)
        prefix = [[package.target_prefix]] * len(tokens) if package.target_prefix else None
        layout = model.layout
        chunk = len(tokens) if progress is None else 8 * layout.inter_threads * self.max_batch_size
        outputs: list[list[str]] = []
        for start in range(0, len(tokens), chunk):
            part = tokens[start:start + chunk]
            try:
                results = _interruptible(lambda part=part, start=start: model.translator.translate_batch(
                    part, target_prefix=prefix[start:start + chunk] if prefix else None,
                    beam_size=max(self.beam_size, n), num_hypotheses=n,
                    max_batch_size=_batch_size(layout, len(part)), batch_type=layout.batch_type,
                    replace_unknowns=True))
            except (RuntimeError, ValueError) as exc:
                raise EngineError(f"CTranslate2 failed: {exc}", path=str(package.path)) from None
            for result in results:
                hyps = []
                for hyp in result.hypotheses:
                    if package.target_prefix and hyp and hyp[0] == package.target_prefix:
                        hyp = hyp[1:]
                    hyps.append(detokenize(hyp))
                outputs.append(hyps)
            if progress is not None:
                progress(len(part))
        return outputs


#: CTranslate2 calls left running when Ctrl-C stopped the wait for them.
_abandoned: list[threading.Thread] = []


def _interruptible(call):
    """``call()``, such that Ctrl-C stops the wait at once.  A ``translate_batch`` call holds
    the thread that makes it until the whole call is done (minutes for a large input), and
    Python runs its signal handlers in the main thread only: so from the main thread the
    call runs in a worker thread while the main thread waits in short joins.  The same
    call, so the same batches and results; from other threads (the service, batch actors),
    it is made directly."""
    if threading.current_thread() is not threading.main_thread():
        return call()
    box: dict = {}

    def work() -> None:
        try:
            box["result"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread as it is
            box["error"] = exc

    worker = threading.Thread(target=work, name="ctranslate2", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:
        _abandoned.append(worker)
        raise
    if "error" in box:
        raise box["error"]
    return box["result"]


def native_work_left() -> bool:
    """Whether Ctrl-C abandoned a CTranslate2 call: the process must then end with
    :func:`os._exit`.  Even once the call has returned, the model's own threads may still
    run its queued batches, and the interpreter's shutdown, freeing the model under them,
    crashed (SIGSEGV) or waited for them."""
    return bool(_abandoned)
