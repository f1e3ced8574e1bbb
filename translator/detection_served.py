"""Language detection answered by the per-user server, for short-lived runs.

A run that goes through the Apertium server (``--apertium-server``, ``apertium_server =
true`` for hooks and editors) asks the server to detect its languages too: the server keeps
langdetect's profiles and lingua's models loaded, where a new process spends most of a
small run loading them (about 0.03 s for langdetect on ten paragraphs, 0.1 s for lingua's
two models on a short line: ``bench/apertium_cost.py``).

The answers are the ones :mod:`translator.detection` gives in the run's own process: the
server runs the same code (its socket is per translator version), in the same installation
(each request names the client's ``sys.prefix``, package folder, detection settings, and
the files of langdetect, lingua and our detection modules as they are now; the server
compares them with those it loaded, and declines when they differ: a library installed,
removed or upgraded, or a checkout edited, since it started), and detection is
deterministic.  Only small documents are sent (:data:`MAX_CHARS`): they are what the
loading dominates, and the server, one process, would make many large ones from parallel
runs wait on each other.  The server is only ever a cache: when none is running
(detection never starts one), when it declines, fails, is slow (:data:`TIMEOUT`) or
answers something unexpected, the run detects in its own process, and stops asking.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import detection, short_lines
from .errors import InputError, TranslatorError
from .languages import NAMES

#: How long a run waits for the server's answer before detecting by itself.
TIMEOUT = 10.0
#: The largest text (document, or a document's paragraphs together) sent to the server.
MAX_CHARS = 20_000
#: The largest answer read (a list of short items per paragraph).
MAX_ANSWER = 4 * 1024 * 1024


def environment() -> list:
    """What the answers depend on besides the text: the installation, the settings a
    library user may change, and the code as installed now (compared as JSON, so lists)."""
    return [sys.prefix, os.path.dirname(detection.__file__), detection.MIN_LETTERS, detection.MIN_CONFIDENCE,
            [list(item) for item in sorted(detection.FAMILY.items())],
            [list(item) for item in sorted(detection.SCRIPTS.items())],
            short_lines.MAX_WORDS, short_lines.SURE, short_lines.DUEL_PRIOR, short_lines.LINGUA_SURE,
            short_lines.LINGUA_VETO, short_lines.USE_LINGUA, _code()]


def _code() -> list:
    """Each file the answers are computed with, as (path, size, time): langdetect's and
    lingua's packages (None: not installed) and our detection modules."""
    from importlib.util import find_spec

    files = []
    for package in ("langdetect", "lingua"):
        spec = find_spec(package)
        files.append(spec.origin if spec is not None else None)
    here = os.path.dirname(detection.__file__)
    files += [os.path.join(here, f"{name}.py") for name in ("detection", "detection_profiles", "short_lines")]
    out: list = []
    for path in files:
        try:
            info = os.stat(path) if path else None
        except OSError:
            info = None
        out.append([path, info.st_size, info.st_mtime_ns] if info else None)
    return out


#: The server's environment, taken when it first detects: what it loaded, not what is on
#: disk later (a library upgraded under a running server is then another environment).
_loaded: list | None = None


class ServedDetection:
    """:func:`detection.detect` and :func:`detection.detect_paragraph` through the server."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._off = False

    def detect(self, text: str, *, name: str = "<text>") -> detection.Detection:
        answer = self._ask({"text": text}, "document") if len(text) <= MAX_CHARS else None
        found = answer.get("document") if answer else None
        if _is_detection(found, 2):
            return detection.Detection(*found)
        return detection.detect(text, name=name)  # raises the error with the file's name

    def paragraphs(self, texts: Sequence[str], document: detection.Detection,
                   candidates: Sequence[str]) -> list[detection.Detection]:
        """:func:`detection.detect_paragraph` of each of *texts*, in one request."""
        answer = self._ask({"paragraphs": list(texts), "document": [document.language, document.confidence],
                            "candidates": list(candidates)}, "paragraphs") \
            if texts and sum(map(len, texts)) <= MAX_CHARS else None
        found = answer.get("paragraphs") if answer else None
        if not isinstance(found, list) or len(found) != len(texts):
            found = [None] * len(texts)
        return [detection.Detection(*f) if _is_detection(f, 3)
                else detection.detect_paragraph(t, document, tuple(candidates)) for t, f in zip(texts, found)]

    def _ask(self, message: dict, key: str) -> dict | None:
        if self._off:
            return None
        from .engines import apertium_server

        try:
            answer = apertium_server.request({"command": "detect", "environment": environment(), **message},
                                             path=self._path, timeout=TIMEOUT, limit=MAX_ANSWER)
        except (OSError, TranslatorError, ValueError):
            answer = None
        if not isinstance(answer, dict) or key not in answer:
            self._off = True  # none running, another installation, or an old server: ask no more
            return None
        return answer


def _is_detection(value, size: int) -> bool:
    return (isinstance(value, list) and len(value) == size and value[0] in NAMES
            and isinstance(value[1], (int, float)) and not isinstance(value[1], bool)
            and 0.0 <= value[1] <= 1.0 and (size == 2 or isinstance(value[2], bool)))


def answer(message: dict) -> dict:
    """The server's side: the answer to a ``{"command": "detect", ...}`` request."""
    global _loaded
    if _loaded is None:
        short_lines.lingua_installed()  # decided now, with the files seen now
        _loaded = environment()
    if message.get("environment") != _loaded:
        return {"error": "another installation or other detection settings: detect in your own process"}
    if "text" in message:
        try:
            found = detection.detect(str(message["text"]))
        except InputError:
            return {"document": None}  # the client raises it with its file's name
        return {"document": [found.language, found.confidence]}
    try:
        language, confidence = message["document"]
        document = detection.Detection(str(language), float(confidence))
        candidates = tuple(str(c) for c in message["candidates"])
        texts = [str(t) for t in message["paragraphs"]]
    except (KeyError, TypeError, ValueError):
        return {"error": "a detect request needs text, or paragraphs with document and candidates"}
    out: list[list | None] = []
    for text in texts:
        try:
            found = detection.detect_paragraph(text, document, candidates)
        except InputError:
            out.append(None)  # the client detects it itself, raising what it raises
            continue
        out.append([found.language, found.confidence, found.inherited])
    return {"paragraphs": out}
