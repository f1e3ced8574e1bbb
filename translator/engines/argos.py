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
from dataclasses import dataclass
from pathlib import Path

from ..errors import EngineError
from ..languages import ALIASES, NAMES
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
    def __init__(self, package: ArgosPackage, threads: int, compute_type: str, device: str = "cpu") -> None:
        import ctranslate2  # lazy: heavy
        import sentencepiece

        try:
            self.translator = ctranslate2.Translator(
                str(package.path / "model"), device=device, compute_type=compute_type,
                inter_threads=1, intra_threads=threads,
            )
            self.sp = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
        except (RuntimeError, OSError, ValueError) as exc:
            raise EngineError(f"cannot load the model: {exc}", path=str(package.path)) from None


def load_model(package: ArgosPackage, *, threads: int = 1, compute_type: str = "int8") -> _LoadedModel:
    """Load a package's CTranslate2 and SentencePiece models (raises :class:`EngineError`)."""
    return _LoadedModel(package, threads, compute_type)


class ArgosEngine:
    """Neural translation with Argos packages.  Loaded models are kept for later calls."""

    name = NAME
    pivots = ("en",)
    copies_terms = False

    def __init__(self, *, dirs: list[Path] | None = None, beam_size: int = 4, threads: int = 0,
                 max_batch_size: int = 32, compute_type: str = "int8", device: str = "cpu") -> None:
        self._dirs = dirs
        self.device = device  # "cuda": CTranslate2 on the GPU (translate batch --device cuda)
        self.beam_size = beam_size
        self.threads = threads or (os.cpu_count() or 1)
        self.max_batch_size = max_batch_size
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

    def _model(self, source: str, target: str) -> tuple[ArgosPackage, _LoadedModel]:
        self.pairs()
        package = self._packages.get((source, target))
        if package is None:
            raise EngineError(f"no Argos package for {source}->{target}")
        with self._lock:
            model = self._models.get(package.path)
            if model is None:
                model = self._models[package.path] = _LoadedModel(package, self.threads, self.compute_type,
                                                                  self.device)
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
        package, model = self._model(source, target)
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
        chunk = len(tokens) if progress is None else 8 * self.max_batch_size
        outputs: list[list[str]] = []
        for start in range(0, len(tokens), chunk):
            part = tokens[start:start + chunk]
            try:
                results = model.translator.translate_batch(
                    part, target_prefix=prefix[start:start + chunk] if prefix else None,
                    beam_size=max(self.beam_size, n), num_hypotheses=n,
                    max_batch_size=self.max_batch_size, replace_unknowns=True)
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
